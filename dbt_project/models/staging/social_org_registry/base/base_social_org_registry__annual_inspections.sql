-- 社会组织年检 (base): the latest export's row per organization and inspection year, typed, with
-- its row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'annual_inspections') }}

),

ranked as (

    {{ rank_versions(
        'upper(trim(source.' ~ adapter.quote('统一社会信用代码') ~ ')), source.' ~ adapter.quote('年检年度'),
        'export_date'
    ) }}

),

renamed as (

    select
        ----------  ids
        upper(trim({{ adapter.quote('统一社会信用代码') }})) as organization_credit_code,
        {{ adapter.quote('登记管理机关代码') }} as registration_authority_code,

        ----------  strings
        {{ adapter.quote('社会组织名称') }} as organization_name,
        {{ adapter.quote('年检结论') }} as inspection_result,

        ----------  numerics
        {{ dbt.safe_cast(adapter.quote('年检年度'), 'integer') }} as inspection_year,

        ----------  booleans
        {{ yes_no_to_boolean(adapter.quote('是否应参检')) }} as is_required,
        coalesce({{ yes_no_to_boolean(adapter.quote('是否已报送')) }}, false) as is_submitted,

        ----------  dates
        export_date,
        {{ dbt.safe_cast(adapter.quote('报送日期'), 'date') }} as submitted_date,
        {{ dbt.safe_cast(adapter.quote('结论日期'), 'date') }} as concluded_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county(adapter.quote('登记管理机关代码')),
                '登记管理机关代码 is not a county of the city or the city'],
            ['bad_year', adapter.quote('年检年度') ~ ' is null or ' ~ fails_cast(adapter.quote('年检年度'), 'integer'),
                '年检年度 is missing or not a year'],
            ['bad_flag', adapter.quote('是否应参检') ~ ' is null or ' ~ adapter.quote('是否应参检') ~ ' not in (\'是\', \'否\')',
                '是否应参检 is not 是 or 否'],
            ['bad_date', fails_cast(adapter.quote('报送日期'), 'date') ~ ' or ' ~ fails_cast(adapter.quote('结论日期'), 'date'),
                '报送日期 or 结论日期 is not a date'],
            ['missing_date', adapter.quote('是否已报送') ~ ' = \'是\' and ' ~ adapter.quote('报送日期') ~ ' is null',
                '是否已报送 = 是 without a 报送日期'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

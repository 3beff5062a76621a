-- 社会组织名录 (base): one row per organization per full export (the export date comes from the
-- file name), typed, with its row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'organizations') }}

),

ranked as (

    {{ rank_versions('source.' ~ adapter.quote('统一社会信用代码') ~ ', source.export_date', none) }}

),

renamed as (

    select
        ----------  ids
        upper(trim({{ adapter.quote('统一社会信用代码') }})) as organization_credit_code,
        {{ adapter.quote('登记管理机关代码') }} as registration_authority_code,

        ----------  strings
        {{ adapter.quote('社会组织名称') }} as organization_name,
        {{ adapter.quote('社会组织类型') }} as organization_type,
        {{ adapter.quote('登记管理机关') }} as registration_authority_name,
        {{ adapter.quote('登记状态') }} as registration_state,

        ----------  booleans
        coalesce({{ adapter.quote('登记状态') }} = '正常', false) as is_active,
        {{ yes_no_to_boolean(adapter.quote('是否慈善组织')) }} as is_charity,

        ----------  dates
        export_date,
        {{ dbt.safe_cast(adapter.quote('成立登记日期'), 'date') }} as registered_date,
        {{ dbt.safe_cast("nullif(trim(" ~ adapter.quote('注销撤销日期') ~ "), '')", 'date') }} as deregistered_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county(adapter.quote('登记管理机关代码')),
                '登记管理机关代码 is not a county of the city or the city'],
            ['bad_credit_code', 'length(trim(' ~ adapter.quote('统一社会信用代码') ~ ')) <> 18 or ' ~ adapter.quote('统一社会信用代码') ~ ' is null',
                '统一社会信用代码 is not 18 characters'],
            ['bad_state', adapter.quote('登记状态') ~ ' is null or ' ~ adapter.quote('登记状态') ~ ' not in (\'正常\', \'注销\', \'撤销\')',
                '登记状态 is not 正常, 注销 or 撤销'],
            ['bad_date', adapter.quote('成立登记日期') ~ ' is null or ' ~ fails_cast(adapter.quote('成立登记日期'), 'date')
                ~ ' or ' ~ fails_cast(adapter.quote('注销撤销日期'), 'date'),
                '成立登记日期 is missing, or a date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

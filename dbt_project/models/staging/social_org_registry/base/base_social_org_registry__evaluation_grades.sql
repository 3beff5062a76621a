-- 社会组织评估等级 (base): one row per grade per full export (the export date comes from the
-- file name), typed, with its row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'evaluation_grades') }}

),

ranked as (

    {{ rank_versions(
        'source.' ~ adapter.quote('统一社会信用代码') ~ ', source.' ~ adapter.quote('评定日期') ~ ', source.export_date',
        none
    ) }}

),

renamed as (

    select
        ----------  strings
        {{ adapter.quote('社会组织名称') }} as organization_name,
        {{ adapter.quote('评估等级') }} as evaluation_grade,

        ----------  ids
        upper(trim({{ adapter.quote('统一社会信用代码') }})) as organization_credit_code,

        ----------  numerics
        {{ dbt.safe_cast(adapter.quote('评估得分'), 'decimal(6, 1)') }} as evaluation_score,

        ----------  dates
        export_date,
        {{ dbt.safe_cast(adapter.quote('评定日期'), 'date') }} as graded_date,
        {{ dbt.safe_cast(adapter.quote('有效期至'), 'date') }} as grade_valid_until_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_grade', adapter.quote('评估等级') ~ ' is null or ' ~ adapter.quote('评估等级') ~ ' not in (\'1A\', \'2A\', \'3A\', \'4A\', \'5A\')',
                '评估等级 is not 1A to 5A'],
            ['bad_date', adapter.quote('评定日期') ~ ' is null or ' ~ adapter.quote('有效期至') ~ ' is null or ' ~ fails_cast(adapter.quote('评定日期'), 'date')
                ~ ' or ' ~ fails_cast(adapter.quote('有效期至'), 'date'),
                '评定日期 or 有效期至 is missing or not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

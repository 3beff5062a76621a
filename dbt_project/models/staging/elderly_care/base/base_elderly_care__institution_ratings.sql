-- 养老机构等级评定 (base): latest version per rating_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'institution_ratings') }}

),

ranked as (

    {{ rank_versions('cast(source.rating_id as bigint)') }}

),

renamed as (

    select
        ----------  ids
        cast(rating_id as bigint) as rating_id,
        institution_id,

        ----------  strings
        grade,

        ----------  numerics
        case grade
            when '一级' then 1
            when '二级' then 2
            when '三级' then 3
            when '四级' then 4
            when '五级' then 5
        end as grade_level,

        ----------  dates
        {{ dbt.safe_cast('rated_date', 'date') }} as rated_date,
        {{ dbt.safe_cast('valid_until', 'date') }} as valid_until,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_grade', "grade is null or grade not in ('一级', '二级', '三级', '四级', '五级')",
                'grade is not 一级 to 五级 (GB/T 37276)'],
            ['bad_date', fails_cast('rated_date', 'date') ~ ' or ' ~ fails_cast('valid_until', 'date'),
                'rated_date or valid_until is not a date'],
            ['missing_date', 'rated_date is null or valid_until is null',
                'rated_date or valid_until is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 留守流动儿童监测摸排报送 (base): latest version per submission, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'child_survey_submissions') }}

),

ranked as (

    {{ rank_versions('source.submission_id') }}

),

renamed as (

    select
        ----------  ids
        submission_id,
        village_code,

        ----------  numerics
        {{ dbt.safe_cast('left_behind_children', 'integer') }} as left_behind_children_count,
        {{ dbt.safe_cast('migrant_children', 'integer') }} as migrant_children_count,

        ----------  dates
        {{ dbt.safe_cast("survey_month || '-01'", 'date') }} as survey_month,

        ----------  timestamps (local time, UTC+8)
        cast(submitted_at as timestamp) as submitted_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['missing_village', 'village_code is null', 'village_code is missing'],
            ['bad_date', "survey_month is null or " ~ fails_cast("survey_month || '-01'", 'date'),
                'survey_month is missing or not a YYYY-MM month'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

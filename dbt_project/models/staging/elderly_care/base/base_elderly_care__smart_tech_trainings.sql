-- 老年人智能技术培训 (base): latest version per attendance_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'smart_tech_trainings') }}

),

ranked as (

    {{ rank_versions('cast(source.attendance_id as bigint)') }}

),

renamed as (

    select
        ----------  ids
        cast(attendance_id as bigint) as attendance_id,
        resident_id,

        ----------  strings
        course,

        ----------  dates
        {{ dbt.safe_cast('training_date', 'date') }} as training_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('training_date', 'date'),
                'training_date is not a date'],
            ['missing_date', 'training_date is null',
                'training_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

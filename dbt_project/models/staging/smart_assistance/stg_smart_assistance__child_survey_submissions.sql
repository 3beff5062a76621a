with

source as (

    select * from {{ source('smart_assistance', 'child_survey_submissions') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.submission_id
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        submission_id,
        village_code,

        ----------  numerics
        cast(left_behind_children as integer) as left_behind_children_count,
        cast(migrant_children as integer) as migrant_children_count,

        ----------  dates
        cast(survey_month || '-01' as date) as survey_month,

        ----------  timestamps (local time, UTC+8)
        cast(submitted_at as timestamp) as submitted_at,
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id

    from ranked
    where version_rank = 1

)

select * from renamed

-- 养老机构人员轮训 (base): latest version per training_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'rotation_trainings') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by cast(source.training_id as bigint)
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        cast(training_id as bigint) as training_id,
        staff_id,

        ----------  strings
        course,

        ----------  dates
        {{ dbt.safe_cast('training_date', 'date') }} as training_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file,

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('training_date', 'date'),
                'training_date is not a date'],
            ['missing_date', 'training_date is null',
                'training_date is missing'],
        ]) }}

    from ranked
    where version_rank = 1

)

select * from renamed

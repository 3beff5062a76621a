-- 特殊困难老年人探访 (base): latest version per visit_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'care_visits') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by cast(source.visit_id as bigint)
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        cast(visit_id as bigint) as visit_id,
        resident_id,

        ----------  strings
        visit_method,
        visitor_role,

        ----------  dates
        {{ dbt.safe_cast('visit_date', 'date') }} as visit_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file,

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('visit_date', 'date'),
                'visit_date is not a date'],
            ['missing_date', 'visit_date is null',
                'visit_date is missing'],
        ]) }}

    from ranked
    where version_rank = 1

)

select * from renamed

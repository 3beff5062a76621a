-- 社区养老设施事件 (base): latest version per event_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'facility_events') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by cast(source.event_id as bigint)
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        cast(event_id as bigint) as event_id,
        facility_id,

        ----------  strings
        event_type,
        upgrade_level,

        ----------  dates
        {{ dbt.safe_cast('event_date', 'date') }} as event_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file,

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('event_date', 'date'),
                'event_date is not a date'],
            ['missing_date', 'event_date is null',
                'event_date is missing'],
        ]) }}

    from ranked
    where version_rank = 1

)

select * from renamed

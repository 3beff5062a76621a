-- 社区养老设施事件 (base): latest version per event_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'facility_events') }}

),

ranked as (

    {{ rank_versions('cast(source.event_id as bigint)') }}

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
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('event_date', 'date'),
                'event_date is not a date'],
            ['missing_date', 'event_date is null',
                'event_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

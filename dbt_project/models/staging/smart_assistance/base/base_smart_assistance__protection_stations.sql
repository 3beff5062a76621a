-- 未成年人保护工作站 (base): latest version per station, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'protection_stations') }}

),

ranked as (

    {{ rank_versions('source.station_id') }}

),

renamed as (

    select
        ----------  ids
        station_id,
        county_code,
        town_code,

        ----------  strings
        station_name,
        station_level,

        ----------  booleans
        coalesce(station_level = '省级示范站', false) as is_provincial_demonstration,

        ----------  dates
        {{ dbt.safe_cast('established_date', 'date') }} as established_date,
        {{ dbt.safe_cast('provincial_demo_date', 'date') }} as provincial_demo_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', fails_cast('established_date', 'date') ~ ' or ' ~ fails_cast('provincial_demo_date', 'date'),
                'established_date or provincial_demo_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

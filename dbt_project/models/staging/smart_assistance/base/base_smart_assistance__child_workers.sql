-- 儿童督导员和儿童主任 (base): latest version per worker, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'child_workers') }}

),

ranked as (

    {{ rank_versions('source.worker_id') }}

),

renamed as (

    select
        ----------  ids
        worker_id,
        county_code,
        unit_code,

        ----------  strings
        worker_role,

        ----------  dates
        {{ dbt.safe_cast('appointed_date', 'date') }} as appointed_date,
        {{ dbt.safe_cast('left_date', 'date') }} as left_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', 'appointed_date is null or ' ~ fails_cast('appointed_date', 'date') ~ ' or ' ~ fails_cast('left_date', 'date'),
                'appointed_date is missing, or appointed_date or left_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

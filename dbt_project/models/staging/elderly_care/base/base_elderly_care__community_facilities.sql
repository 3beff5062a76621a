-- 社区养老设施 (base): latest version per facility_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'community_facilities') }}

),

ranked as (

    {{ rank_versions('source.facility_id') }}

),

renamed as (

    select
        ----------  ids
        facility_id,
        county_code,
        town_code,
        village_code,

        ----------  strings
        facility_name,
        facility_type,
        status as current_status,

        ----------  dates
        {{ dbt.safe_cast('opened_date', 'date') }} as opened_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', fails_cast('opened_date', 'date'),
                'opened_date is not a date'],
            ['missing_date', 'opened_date is null',
                'opened_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 低收入人口监测预警 (base): latest version per alert, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'monitoring_alerts') }}

),

ranked as (

    {{ rank_versions('source.alert_id') }}

),

renamed as (

    select
        ----------  ids
        alert_id,
        {{ pseudonymise_id('person_id_number') }} as person_key,
        {{ id_number_region_code('person_id_number') }} as id_region_code,
        county_code,
        village_code,

        ----------  strings
        {{ id_number_sex('person_id_number') }} as person_sex,
        alert_type,
        alert_level,
        decision,
        alert_status,

        ----------  booleans
        {{ is_valid_id_number('person_id_number') }} as is_person_id_number_valid,

        ----------  dates (the local calendar day of the timestamp)
        {{ id_number_birth_month('person_id_number') }} as birth_month,
        {{ dbt.safe_cast('substr(raised_at, 1, 10)', 'date') }} as raised_date,
        {{ dbt.safe_cast('substr(closed_at, 1, 10)', 'date') }} as closed_date,

        ----------  alert timestamps (local time, UTC+8)
        {{ dbt.safe_cast('raised_at', 'timestamp') }} as raised_at,
        {{ dbt.safe_cast('closed_at', 'timestamp') }} as closed_at,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', 'raised_at is null or ' ~ fails_cast('raised_at', 'timestamp') ~ ' or ' ~ fails_cast('closed_at', 'timestamp'),
                'raised_at is missing, or raised_at or closed_at is not a timestamp'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 救助管理站在站记录 (base): latest version per stay, typed, the ID number (once the identity is
-- established) turned into a person key (name dropped), with its row-level contract.
with

source as (

    select * from {{ source('civil_registry', 'rescue_station_stays') }}

),

ranked as (

    {{ rank_versions('source.stay_id', 'record_version') }}

),

renamed as (

    select
        ----------  ids
        stay_id,
        {{ pseudonymise_id('person_id_number') }} as person_key,
        {{ id_number_region_code('person_id_number') }} as id_region_code,
        station_county_code,

        ----------  strings
        station_name,
        sex as person_sex,
        leave_reason,

        ----------  numerics
        cast(record_version as integer) as record_version,

        ----------  booleans
        {{ is_valid_id_number('person_id_number') }} as is_person_id_number_valid,

        ----------  dates
        {{ id_number_birth_month('person_id_number') }} as birth_month,
        {{ dbt.safe_cast('admitted_date', 'date') }} as admitted_date,
        {{ dbt.safe_cast('identity_established_date', 'date') }} as identity_established_date,
        {{ dbt.safe_cast('left_date', 'date') }} as left_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('station_county_code'),
                'station_county_code is not a county of the city'],
            ['bad_date', 'admitted_date is null or ' ~ fails_cast('admitted_date', 'date')
                ~ ' or ' ~ fails_cast('identity_established_date', 'date') ~ ' or ' ~ fails_cast('left_date', 'date'),
                'admitted_date is missing, or a date column is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 持证残疾人 (base): latest version per person, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'persons') }}

),

ranked as (

    {{ rank_versions('source.person_id') }}

),

renamed as (

    select
        ----------  ids
        person_id,
        {{ pseudonymise_id('id_number') }} as person_key,
        {{ id_number_region_code('id_number') }} as id_region_code,
        registered_county_code,
        residence_village_code,

        ----------  strings
        {{ id_number_sex('id_number') }} as person_sex,
        household_category,
        disability_grade,
        disability_type,

        ----------  booleans
        {{ is_valid_id_number('id_number') }} as is_id_number_valid,

        ----------  dates
        {{ id_number_birth_month('id_number') }} as birth_month,
        {{ dbt.safe_cast('disability_cert_date', 'date') }} as disability_cert_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('registered_county_code'),
                'registered_county_code is not a county of the city'],
            ['missing_id', 'id_number is null',
                'id_number is missing'],
            ['bad_date', fails_cast('birth_date', 'date') ~ ' or ' ~ fails_cast('disability_cert_date', 'date'),
                'birth_date or disability_cert_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

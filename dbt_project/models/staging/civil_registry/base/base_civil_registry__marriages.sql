-- 婚姻登记 (base): latest version per registration, typed, both parties' ID numbers turned into
-- person keys (names dropped), with its row-level contract.
with

source as (

    select * from {{ source('civil_registry', 'marriages') }}

),

ranked as (

    {{ rank_versions('source.registration_id', 'record_version') }}

),

renamed as (

    select
        ----------  ids
        registration_id,
        {{ pseudonymise_id('male_id_number') }} as male_person_key,
        {{ pseudonymise_id('female_id_number') }} as female_person_key,
        {{ id_number_region_code('male_id_number') }} as male_id_region_code,
        {{ id_number_region_code('female_id_number') }} as female_id_region_code,
        registration_county_code,
        other_province_code,

        ----------  strings
        registration_type,
        registry_office as registry_office_name,

        ----------  numerics
        cast(record_version as integer) as record_version,

        ----------  booleans
        {{ is_valid_id_number('male_id_number') }} as is_male_id_number_valid,
        {{ is_valid_id_number('female_id_number') }} as is_female_id_number_valid,
        coalesce({{ yes_no_to_boolean('is_cross_province') }}, false) as is_cross_province,

        ----------  dates
        {{ id_number_birth_month('male_id_number') }} as male_birth_month,
        {{ id_number_birth_month('female_id_number') }} as female_birth_month,
        {{ dbt.safe_cast('registration_date', 'date') }} as registration_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('registration_county_code'),
                'registration_county_code is not a county of the city'],
            ['unknown_type', "registration_type is null or registration_type not in ('结婚', '离婚')",
                'registration_type is not 结婚 or 离婚'],
            ['bad_date', 'registration_date is null or ' ~ fails_cast('registration_date', 'date'),
                'registration_date is missing or not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

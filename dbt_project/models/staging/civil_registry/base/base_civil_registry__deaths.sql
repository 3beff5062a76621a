-- 死亡登记 (base): latest version per death record, typed, with its row-level contract.
with

source as (

    select * from {{ source('civil_registry', 'deaths') }}

),

ranked as (

    {{ rank_versions('source.death_record_id', 'record_version') }}

),

renamed as (

    select
        ----------  ids
        death_record_id,
        {{ pseudonymise_id('deceased_id_number') }} as deceased_person_key,
        {{ id_number_region_code('deceased_id_number') }} as deceased_id_region_code,
        registration_county_code,

        ----------  strings
        {{ id_number_sex('deceased_id_number') }} as deceased_sex,
        funeral_home as funeral_home_name,

        ----------  numerics
        cast(record_version as integer) as record_version,

        ----------  booleans
        {{ is_valid_id_number('deceased_id_number') }} as is_deceased_id_number_valid,
        {{ yes_no_to_boolean('cremated') }} as is_cremated,
        coalesce({{ yes_no_to_boolean('via_96444') }}, false) as is_via_96444,

        ----------  dates
        {{ id_number_birth_month('deceased_id_number') }} as deceased_birth_month,
        {{ dbt.safe_cast('death_date', 'date') }} as death_date,
        {{ dbt.safe_cast('registration_date', 'date') }} as registration_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('registration_county_code'),
                'registration_county_code is not a county of the city'],
            ['bad_date', fails_cast('death_date', 'date') ~ ' or ' ~ fails_cast('registration_date', 'date'),
                'death_date or registration_date is not a date'],
            ['missing_date', 'death_date is null or registration_date is null',
                'death_date or registration_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

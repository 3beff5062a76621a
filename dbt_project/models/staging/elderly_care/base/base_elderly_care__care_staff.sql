-- 养老机构负责人和护理员 (base): latest version per staff_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'care_staff') }}

),

ranked as (

    {{ rank_versions('source.staff_id') }}

),

renamed as (

    select
        ----------  ids
        staff_id,
        {{ pseudonymise_id('id_number') }} as person_key,
        {{ id_number_region_code('id_number') }} as id_region_code,
        institution_id,

        ----------  strings
        {{ id_number_sex('id_number') }} as person_sex,
        role,
        skill_level,

        ----------  booleans
        {{ is_valid_id_number('id_number') }} as is_id_number_valid,

        ----------  dates
        {{ id_number_birth_month('id_number') }} as birth_month,
        {{ dbt.safe_cast('hired_date', 'date') }} as hired_date,
        {{ dbt.safe_cast('left_date', 'date') }} as left_date,
        {{ dbt.safe_cast('certified_date', 'date') }} as certified_date,
        {{ dbt.safe_cast('certificate_valid_until', 'date') }} as certificate_valid_until,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('hired_date', 'date') ~ ' or ' ~ fails_cast('left_date', 'date') ~ ' or ' ~ fails_cast('certified_date', 'date') ~ ' or ' ~ fails_cast('certificate_valid_until', 'date'),
                'hired_date, left_date, certified_date or certificate_valid_until is not a date'],
            ['missing_date', 'hired_date is null',
                'hired_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

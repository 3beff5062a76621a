-- 孤儿和事实无人抚养儿童 (base): latest version per child, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'children_in_difficulty') }}

),

ranked as (

    {{ rank_versions('source.child_id') }}

),

renamed as (

    select
        ----------  ids
        child_id,
        {{ pseudonymise_id('id_number') }} as child_person_key,
        {{ id_number_region_code('id_number') }} as id_region_code,
        county_code,
        village_code,

        ----------  strings
        {{ id_number_sex('id_number') }} as child_sex,
        child_category,
        care_mode,

        ----------  numerics
        {{ dbt.safe_cast('monthly_standard', 'decimal(12, 2)') }} as monthly_standard,

        ----------  booleans
        {{ is_valid_id_number('id_number') }} as is_id_number_valid,

        ----------  dates
        {{ id_number_birth_month('id_number') }} as birth_month,
        {{ dbt.safe_cast('eligible_from', 'date') }} as eligible_from,
        {{ dbt.safe_cast('eligible_to', 'date') }} as eligible_to,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['missing_id', 'id_number is null',
                'id_number is missing'],
            ['bad_date', 'eligible_from is null or ' ~ fails_cast('eligible_from', 'date') ~ ' or ' ~ fails_cast('eligible_to', 'date'),
                'eligible_from is missing, or eligible_from or eligible_to is not a date'],
            ['bad_amount', 'monthly_standard is null or ' ~ fails_cast('monthly_standard', 'decimal(12, 2)'),
                'monthly_standard is missing or not a number'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

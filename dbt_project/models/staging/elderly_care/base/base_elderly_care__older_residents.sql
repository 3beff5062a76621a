-- 老年人 (base): latest version per resident_id, typed, with its row-level contract.
-- Incremental: a night re-ranks only the records with a new version (macros/incremental.sql).
{{ config(materialized='incremental', unique_key=['resident_id', 'version_copy']) }}
with

source as (

    select * from {{ source('elderly_care', 'older_residents') }}
    {{ only_records_with_new_versions(source('elderly_care', 'older_residents'), 'resident_id') }}

),

ranked as (

    {{ rank_versions('source.resident_id') }}

),

renamed as (

    select
        ----------  ids
        resident_id,
        {{ pseudonymise_id('id_number') }} as person_key,
        {{ id_number_region_code('id_number') }} as id_region_code,
        substr(village_code, 1, 6) as county_code,
        village_code,

        ----------  strings
        sex,

        ----------  booleans
        {{ is_valid_id_number('id_number') }} as is_id_number_valid,
        coalesce({{ yes_no_to_boolean('living_alone') }}, false) as is_living_alone,
        coalesce({{ yes_no_to_boolean('left_behind') }}, false) as is_left_behind,
        coalesce({{ yes_no_to_boolean('disabled') }}, false) as is_disabled,
        coalesce({{ yes_no_to_boolean('low_income') }}, false) as is_low_income,

        ----------  dates
        {{ month_start(dbt.safe_cast('birth_date', 'date')) }} as birth_month,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},
        {{ version_copy('resident_id') }} as version_copy,

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_village', "village_code is null or village_code not in (select code from " ~ ref('ref_divisions') ~ " where level = 'village' and " ~ is_real_village_code('code') ~ ")",
                'village_code is not a real village or community of the city'],
            ['bad_date', fails_cast('birth_date', 'date'),
                'birth_date is not a date'],
            ['missing_date', 'birth_date is null',
                'birth_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

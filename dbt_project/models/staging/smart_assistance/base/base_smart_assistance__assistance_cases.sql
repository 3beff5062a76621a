-- 救助案件 (base): latest version per case, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'assistance_cases') }}

),

ranked as (

    {{ rank_versions('source.case_id') }}

),

renamed as (

    select
        ----------  ids
        case_id,
        household_id,
        {{ pseudonymise_id('applicant_id_number') }} as applicant_person_key,
        {{ id_number_region_code('applicant_id_number') }} as applicant_id_region_code,
        registered_county_code,
        residence_village_code,
        handling_county_code,
        emergency_county_code,

        ----------  strings
        case_type,
        temp_assistance_kind,
        origin as case_origin,
        discovery_channel,
        case_status,
        {{ id_number_sex('applicant_id_number') }} as applicant_sex,

        ----------  numerics
        {{ dbt.safe_cast('monthly_amount', 'decimal(12, 2)') }} as monthly_amount,
        {{ dbt.safe_cast('one_off_amount', 'decimal(12, 2)') }} as one_off_amount,

        ----------  booleans
        {{ is_valid_id_number('applicant_id_number') }} as is_applicant_id_number_valid,
        coalesce(origin = '主动发现', false) as is_proactively_discovered,

        ----------  dates
        {{ id_number_birth_month('applicant_id_number') }} as applicant_birth_month,
        {{ dbt.safe_cast('applied_date', 'date') }} as applied_date,
        {{ dbt.safe_cast('approved_date', 'date') }} as approved_date,
        {{ dbt.safe_cast('terminated_date', 'date') }} as terminated_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('handling_county_code'),
                'handling_county_code is not a county of the city'],
            ['missing_date', 'applied_date is null', 'applied_date is missing'],
            ['bad_date', fails_cast('applied_date', 'date') ~ ' or ' ~ fails_cast('approved_date', 'date')
                ~ ' or ' ~ fails_cast('terminated_date', 'date'),
                'applied_date, approved_date or terminated_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

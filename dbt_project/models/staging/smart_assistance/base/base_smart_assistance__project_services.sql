-- 救助帮扶和儿童关爱项目服务 (base): latest version per service, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'project_services') }}

),

ranked as (

    {{ rank_versions('source.service_id') }}

),

renamed as (

    select
        ----------  ids
        service_id,
        {{ pseudonymise_id('beneficiary_id_number') }} as beneficiary_person_key,
        {{ id_number_region_code('beneficiary_id_number') }} as beneficiary_id_region_code,
        county_code,
        village_code,

        ----------  strings
        {{ id_number_sex('beneficiary_id_number') }} as beneficiary_sex,
        project_name,
        service_content,
        service_status,

        ----------  booleans
        {{ is_valid_id_number('beneficiary_id_number') }} as is_beneficiary_id_number_valid,

        ----------  dates
        {{ id_number_birth_month('beneficiary_id_number') }} as beneficiary_birth_month,
        {{ dbt.safe_cast('service_date', 'date') }} as service_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', 'service_date is null or ' ~ fails_cast('service_date', 'date'),
                'service_date is missing or not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

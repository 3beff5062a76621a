-- 救助帮扶和儿童关爱项目服务 (base): latest version per service, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'project_services') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.service_id
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        service_id,
        {{ pseudonymise_id('beneficiary_id_number') }} as beneficiary_person_key,
        county_code,
        village_code,

        ----------  strings
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
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file,

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a Taizhou county'],
            ['bad_date', 'service_date is null or ' ~ fails_cast('service_date', 'date'),
                'service_date is missing or not a date'],
        ]) }}

    from ranked
    where version_rank = 1

)

select * from renamed

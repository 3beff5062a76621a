-- 婚姻登记事实: one row per registration in its latest version; parties only as pseudonymous keys.
with

staged as (

    select
        registration_id,
        record_version,
        registration_type,
        registration_county_code,
        registry_office_name,
        is_cross_province,
        other_province_code,
        male_person_key,
        female_person_key,
        is_male_id_number_valid,
        is_female_id_number_valid,
        registration_date
    from {{ ref('stg_civil_registry__marriages') }}

),

final as (

    select
        registration_id,
        record_version,
        registration_type,
        registration_county_code,
        registry_office_name,
        is_cross_province,
        other_province_code,
        male_person_key,
        female_person_key,
        is_male_id_number_valid,
        is_female_id_number_valid,
        registration_date
    from staged

)

select * from final

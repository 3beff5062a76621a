-- 死亡登记事实: one row per death record in its latest version; no personal data.
with

deaths as (

    select
        death_record_id,
        record_version,
        registration_county_code,
        deceased_sex,
        is_deceased_id_number_valid,
        is_cremated,
        is_via_96444,
        funeral_home_name,
        death_date,
        registration_date
    from {{ ref('stg_civil_registry__deaths') }}

),

final as (

    select
        death_record_id,
        record_version,
        registration_county_code,
        deceased_sex,
        is_deceased_id_number_valid,
        is_cremated,
        is_via_96444,
        funeral_home_name,
        death_date,
        registration_date
    from deaths

)

select * from final

-- 救助管理站在站事实: one row per stay in its latest version; the person only as a pseudonymous key.
with

staged as (

    select
        stay_id,
        person_key,
        person_sex,
        station_name,
        station_county_code,
        admitted_date,
        identity_established_date,
        left_date,
        leave_reason
    from {{ ref('stg_civil_registry__rescue_station_stays') }}

),

final as (

    select
        stay_id,
        person_key,
        person_sex,
        station_name,
        station_county_code,
        admitted_date,
        identity_established_date,
        left_date,
        leave_reason
    from staged

)

select * from final

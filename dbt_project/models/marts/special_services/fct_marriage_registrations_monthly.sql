-- 婚姻登记月度汇总: registrations per month, county and type, with those handled under 跨省通办.
with

registrations as (

    select
        registration_county_code,
        registration_type,
        is_cross_province,
        registration_date
    from {{ ref('fct_marriage_registrations') }}

),

final as (

    select
        {{ month_start('registration_date') }} as registration_month,
        registration_county_code,
        registration_type,
        cast(count(*) as bigint) as registrations,
        cast(sum(case when is_cross_province then 1 else 0 end) as bigint) as cross_province_registrations
    from registrations
    group by {{ month_start('registration_date') }}, registration_county_code, registration_type

)

select * from final

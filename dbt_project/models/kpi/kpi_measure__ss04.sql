-- SS04 婚姻登记跨省通办办理量: marriage and divorce registrations handled under 跨省通办, registered
-- YTD, by registering county (a YTD count; denominator null).
with

registrations as (

    select
        registration_id,
        registration_county_code,
        registration_date
    from {{ ref('fct_marriage_registrations') }}
    where is_cross_province

),

calendar as (

    select
        period_month,
        period_end,
        plan_year,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SS04' as kpi_code,
        calendar.period_month,
        registrations.registration_county_code as region_code,
        cast(count(*) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    inner join registrations
        on registrations.registration_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, registrations.registration_county_code

)

select * from final

-- SS03 96444平台殡葬服务覆盖率: death records registered YTD, by registration county; share via 96444.
with

deaths as (

    select
        registration_county_code,
        registration_date,
        is_via_96444
    from {{ ref('fct_death_registrations') }}
    where registration_county_code is not null

),

calendar as (

    select
        period_month,
        period_end,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SS03' as kpi_code,
        calendar.period_month,
        deaths.registration_county_code as region_code,
        cast(sum(case when deaths.is_via_96444 then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join deaths
        on deaths.registration_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, deaths.registration_county_code

)

select * from final

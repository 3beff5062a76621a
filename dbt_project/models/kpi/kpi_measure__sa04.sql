-- SA04 低收入人口监测预警及时处置率: alerts raised in the year to date, by county: numerator closed with a
-- decision within 30 days (and by the period end), denominator all alerts raised.
with

alerts as (

    select
        county_code,
        raised_date,
        closed_date,
        is_handled_within_30_days
    from {{ ref('fct_monitoring_alerts') }}

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
        'SA04' as kpi_code,
        calendar.period_month,
        alerts.county_code as region_code,
        cast(sum(
            case when alerts.is_handled_within_30_days and alerts.closed_date <= calendar.period_end then 1 else 0 end
        ) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join alerts
        on alerts.raised_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, alerts.county_code

)

select * from final

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

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SA04', 'alerts', 'raised_date', 'county_code',
    counted_when='alerts.is_handled_within_30_days and alerts.closed_date <= calendar.period_end',
) }}

select * from final

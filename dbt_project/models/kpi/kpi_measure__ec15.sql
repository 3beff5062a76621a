-- EC15 特殊困难老年人月探访率: person-months of older people in special difficulty visited at least
-- once in the month, over all such person-months, summed from January to the period month (the
-- months' average, weighted by the people in difficulty each month), by the resident's county.
with

monthly as (

    select
        period_month,
        county_code,
        is_visited
    from {{ ref('fct_special_difficulty_visits_monthly') }}

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'EC15', 'monthly', 'period_month', 'county_code',
    counted_when='monthly.is_visited', through='period_month',
) }}

select * from final

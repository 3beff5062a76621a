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

calendar as (

    select
        period_month,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'EC15' as kpi_code,
        calendar.period_month,
        monthly.county_code as region_code,
        cast(sum(case when monthly.is_visited then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join monthly
        on monthly.period_month between calendar.year_start and calendar.period_month
    group by calendar.period_month, monthly.county_code

)

select * from final

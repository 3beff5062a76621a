-- model: kpi/kpi_measure__ec06.sql
-- compiled: d916cd722af8
-- Peer query: dbt model kpi_measure__ec06, compiled, its tables named schema.table;
-- the same text runs on DuckDB and on PostgreSQL (bench/peer.py).
--
-- EC06 政府购买居家上门服务老年人比例: residents 60+ at the period end who received at least one
-- completed government-purchased home service in the plan year to date, over residents 60+ at the
-- period end, by the resident's county. Aggregated by (county, month turning 60, first service)
-- before meeting the calendar, so the join stays small.
with

residents as (

    select
        resident_id,
        county_code,
        month_turning_60
    from marts.dim_older_residents

),

first_services as (

    select
        resident_id,
        cast(date_trunc('year', service_date) as date) as service_year,
        min(service_date) as first_service_date
    from marts.fct_home_service_orders
    where is_government_purchased and is_completed
    group by resident_id, cast(date_trunc('year', service_date) as date)

),

calendar as (

    select
        period_month,
        period_end,
        plan_year,
        cast(date_trunc('year', period_month) as date) as year_start
    from conformed.dim_calendar
    where is_reported

),

cohorts as (

    select
        county_code,
        month_turning_60,
        cast(count(*) as bigint) as residents
    from residents
    group by county_code, month_turning_60

),

served_cohorts as (

    select
        residents.county_code,
        residents.month_turning_60,
        first_services.service_year,
        first_services.first_service_date,
        cast(count(*) as bigint) as residents
    from residents
    inner join first_services
        on residents.resident_id = first_services.resident_id
    group by
        residents.county_code,
        residents.month_turning_60,
        first_services.service_year,
        first_services.first_service_date

),

denominators as (

    select
        calendar.period_month,
        cohorts.county_code,
        sum(cohorts.residents) as denominator
    from cohorts
    inner join calendar
        on (cohorts.month_turning_60 <= calendar.period_month)
    group by calendar.period_month, cohorts.county_code

),

numerators as (

    select
        calendar.period_month,
        served_cohorts.county_code,
        sum(served_cohorts.residents) as numerator
    from served_cohorts
    inner join calendar
        on
            served_cohorts.service_year = calendar.year_start
            and served_cohorts.first_service_date <= calendar.period_end
            and (served_cohorts.month_turning_60 <= calendar.period_month)
    group by calendar.period_month, served_cohorts.county_code

),

final as (

    select
        'EC06' as kpi_code,
        denominators.period_month,
        denominators.county_code as region_code,
        cast(coalesce(numerators.numerator, 0) as bigint) as numerator,
        cast(denominators.denominator as bigint) as denominator
    from denominators
    left join numerators
        on
            denominators.period_month = numerators.period_month
            and denominators.county_code = numerators.county_code

)

select * from final

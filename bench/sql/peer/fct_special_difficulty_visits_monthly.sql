-- model: marts/elderly_care/fct_special_difficulty_visits_monthly.sql
-- compiled: 88841478cf82
-- Peer query: dbt model fct_special_difficulty_visits_monthly, compiled, its tables named schema.table;
-- the same text runs on DuckDB and on PostgreSQL (bench/peer.py).
-- Adapted to run on both: date_diff('month', a, b) as extract() arithmetic (2×).
--
-- 特殊困难老年人月度探访事实: one row per resident and reported month in which they are in special
-- difficulty (60+ at the month end and living alone, left behind, disabled, or 80+ with low income),
-- with the visits they received that month.
with

residents as (

    select
        resident_id,
        county_code,
        birth_month,
        is_living_alone,
        is_left_behind,
        is_disabled,
        is_low_income
    from marts.dim_older_residents
    where is_living_alone or is_left_behind or is_disabled or is_low_income

),

visits as (

    select
        resident_id,
        visit_month,
        count(*) as visit_count
    from marts.fct_care_visits
    group by resident_id, visit_month

),

calendar as (

    select
        period_month,
        period_end
    from conformed.dim_calendar
    where is_reported

),

in_difficulty as (

    select
        residents.resident_id,
        residents.county_code,
        calendar.period_month
    from residents
    inner join calendar
        on (cast(floor(((extract(year from calendar.period_end) - extract(year from residents.birth_month)) * 12 + extract(month from calendar.period_end) - extract(month from residents.birth_month)) / 12) as integer) >= 60)
    where
        (residents.is_living_alone or residents.is_left_behind or residents.is_disabled
        or (residents.is_low_income and (cast(floor(((extract(year from calendar.period_end) - extract(year from residents.birth_month)) * 12 + extract(month from calendar.period_end) - extract(month from residents.birth_month)) / 12) as integer) >= 80)))

),

final as (

    select
        in_difficulty.resident_id,
        in_difficulty.period_month,
        in_difficulty.county_code,
        cast(coalesce(visits.visit_count, 0) as integer) as visit_count,
        visits.visit_count is not null as is_visited
    from in_difficulty
    left join visits
        on
            in_difficulty.resident_id = visits.resident_id
            and in_difficulty.period_month = visits.visit_month

)

select * from final

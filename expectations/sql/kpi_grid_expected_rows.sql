-- How many rows kpi_progress must hold: every KPI a year reports (its plan, or the next plan's as
-- a baseline), every reported month of that year, the city plus each district of dim_region where
-- the KPI's scope includes districts.
with

districts as (

    select count(*) as district_count
    from conformed.dim_region
    where region_level = 'county'

)

select
    coalesce(
        sum(case when year_kpis.scope like '%district%' then 1 + districts.district_count else 1 end),
        0
    ) as expected_rows
from kpi.kpi_plan_by_year as year_kpis
inner join conformed.dim_calendar as calendar
    on year_kpis.plan_year = calendar.plan_year
cross join districts
where calendar.is_reported

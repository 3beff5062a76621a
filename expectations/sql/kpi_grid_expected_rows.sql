-- How many rows kpi_progress must hold: every measured KPI of the catalog, every reported month
-- of its plan year, the city plus the six districts where the KPI's scope includes districts.
select coalesce(sum(case when catalog.scope like '%district%' then 7 else 1 end), 0) as expected_rows
from kpi.kpi_catalog as catalog
inner join conformed.dim_calendar as calendar
    on catalog.plan_year = calendar.plan_year
where catalog.has_measure
    and calendar.is_reported

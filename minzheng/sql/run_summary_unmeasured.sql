-- The current plan's KPIs that the warehouse has no kpi_measure__ model for: the plan asks for
-- them, the dashboards and the province get no figure, and the run says so.
select
    catalog.plan_year,
    catalog.kpi_code,
    catalog.kpi_name_zh
from kpi.kpi_catalog as catalog
where
    not catalog.has_measure
    and catalog.plan_year = (
        select max(calendar.plan_year)
        from conformed.dim_calendar as calendar
        where calendar.is_current_plan_year
    )
order by catalog.catalog_order, catalog.kpi_code

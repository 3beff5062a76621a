-- KPI figures for the provincial quarterly report: the last month of the quarter with data,
-- every KPI of that month's plan year in the catalog (in catalog order; one without a measure has
-- no figures) for the city and each district, with the same month of last year (同比). The
-- figures of a past quarter are as of its last day, not of the day the file was built.
with report_month as (
    select max(period_month) as period_month
    from kpi.kpi_progress
    where period_month <= cast($quarter_end as date)
        and period_month >= cast($quarter_start as date)
),

catalog as (
    select
        catalog_order,
        kpi_code,
        action_line,
        action_line_zh,
        kpi_name_zh,
        unit
    from kpi.kpi_catalog
    where plan_year = (select extract(year from period_month) from report_month)
),

progress as (
    select
        kpi_progress.kpi_code,
        kpi_progress.region_code,
        kpi_progress.region_name,
        kpi_progress.region_level,
        kpi_progress.actual_value,
        kpi_progress.target_value,
        kpi_progress.attainment_ratio,
        kpi_progress.status,
        kpi_progress.actual_value_last_year,
        kpi_progress.year_on_year_change,
        kpi_progress.period_month,
        least(kpi_progress.data_as_of, cast($quarter_end as date)) as data_as_of
    from kpi.kpi_progress
    inner join report_month
        on kpi_progress.period_month = report_month.period_month
)

select
    catalog.catalog_order,
    catalog.kpi_code,
    catalog.action_line,
    catalog.action_line_zh,
    catalog.kpi_name_zh,
    catalog.unit,
    progress.region_code,
    progress.region_name,
    progress.region_level,
    progress.actual_value,
    progress.target_value,
    progress.attainment_ratio,
    progress.status,
    progress.actual_value_last_year,
    progress.year_on_year_change,
    progress.period_month,
    progress.data_as_of
from catalog
left join progress
    on catalog.kpi_code = progress.kpi_code
order by catalog.catalog_order, progress.region_level, progress.region_code

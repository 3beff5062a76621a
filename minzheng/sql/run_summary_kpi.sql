-- KPI statuses per action line at the city level, for the latest month published of the current
-- plan year.
select
    progress.action_line,
    count(*) as kpis,
    count(case when progress.status = '达标' then 1 end) as met,
    count(case when progress.status = '序时达标' then 1 end) as on_pace,
    count(case when progress.status = '滞后' then 1 end) as behind,
    count(case when progress.status = '监测' then 1 end) as monitored,
    max(progress.period_month) as period_month
from kpi.kpi_progress as progress
inner join kpi.kpi_catalog as catalog
    on progress.kpi_code = catalog.kpi_code
        and progress.plan_year = catalog.plan_year
where progress.region_level = 'city'
    and progress.period_month = (
        select max(period_month) from kpi.kpi_progress where is_current_plan_year
    )
group by progress.action_line
order by min(catalog.catalog_order)

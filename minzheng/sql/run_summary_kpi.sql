-- KPI statuses per action line at the city level, for the latest month published.
select
    action_line,
    count(*) as kpis,
    count(case when status = '达标' then 1 end) as met,
    count(case when status = '序时达标' then 1 end) as on_pace,
    count(case when status = '滞后' then 1 end) as behind,
    count(case when status = '监测' then 1 end) as monitored,
    max(period_month) as period_month
from kpi.kpi_progress
where region_level = 'city'
    and period_month = (select max(period_month) from kpi.kpi_progress)
group by action_line
order by min(kpi_code)

-- KPIs of a quarter whose published figures are held (数据暂停更新): a raw batch they depend on
-- broke its contract, so the serving file keeps their last published figures.
select
    kpi_code,
    max(data_as_of) as figures_as_of,
    min(held_reason) as held_reason
from kpi.kpi_progress
where
    figures_status = 'held'
    and period_month >= cast($quarter_start as date)
    and period_month <= cast($quarter_end as date)
group by kpi_code
order by kpi_code

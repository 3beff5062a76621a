-- KPIs whose published figures are held (a raw batch they depend on broke its contract): the
-- date of the figures kept, since when, and why.
select
    kpi_code,
    max(data_as_of) as figures_as_of,
    min(held_since) as held_since,
    min(held_reason) as held_reason
from kpi.kpi_progress
where figures_status = 'held'
group by kpi_code
order by kpi_code

-- One month of kpi_progress as published now, stamped with the run that kept it.
select
    kpi_progress.*,
    cast($run_id as varchar) as snapshot_run_id,
    current_timestamp as snapshot_taken_at
from kpi.kpi_progress
where period_month = cast($period_month as date)
order by kpi_code, region_code

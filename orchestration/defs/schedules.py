"""Jobs and their schedules, in Asia/Shanghai time."""

from datetime import date

import dagster as dg

from orchestration.defs.serving import (
    kpi_month_end_snapshot,
    provincial_quarterly_report,
)

TIMEZONE = "Asia/Shanghai"

_PARTITIONED = dg.AssetSelection.assets(provincial_quarterly_report, kpi_month_end_snapshot)

nightly = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all() - _PARTITIONED,
    description="Extract what changed, build, check and publish. Blocking checks stop publish.",
)
quarterly_export = dg.define_asset_job(
    "quarterly_export",
    selection=dg.AssetSelection.assets(provincial_quarterly_report),
    description="The provincial quarterly report of one quarter (a partition; backfill past ones).",
)
month_end_snapshot = dg.define_asset_job(
    "month_end_snapshot",
    selection=dg.AssetSelection.assets(kpi_month_end_snapshot),
    description="Keep the month's KPI figures as reported.",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_at_0130",
    job=nightly,
    cron_schedule="30 1 * * *",
    execution_timezone=TIMEZONE,
)


@dg.schedule(
    job=month_end_snapshot,
    cron_schedule="0 6 1 * *",
    execution_timezone=TIMEZONE,
    name="month_end_snapshot_on_the_1st",
)
def month_end_snapshot_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """On the 1st, after the night's publish: snapshot the month that just ended."""
    month = previous_month(context.scheduled_execution_time.date())
    return dg.RunRequest(run_key=f"snapshot-{month:%Y-%m}", partition_key=month.isoformat())


@dg.schedule(
    job=quarterly_export,
    cron_schedule="0 8 5 1,4,7,10 *",
    execution_timezone=TIMEZONE,
    name="quarterly_export_on_the_5th",
)
def quarterly_export_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """On the 5th day after a quarter ends: report the quarter that ended."""
    first_day = previous_quarter_start(context.scheduled_execution_time.date())
    return dg.RunRequest(run_key=f"export-{first_day}", partition_key=first_day.isoformat())


def previous_month(today: date) -> date:
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def previous_quarter_start(today: date) -> date:
    this_quarter_month = 3 * ((today.month - 1) // 3) + 1
    if this_quarter_month == 1:
        return date(today.year - 1, 10, 1)
    return date(today.year, this_quarter_month - 3, 1)


jobs = [nightly, quarterly_export, month_end_snapshot]
schedules = [nightly_schedule, month_end_snapshot_schedule, quarterly_export_schedule]

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.schedules import (
    month_end_snapshot_schedule,
    nightly_schedule,
    previous_quarter_start,
    quarterly_export_schedule,
)
from orchestration.defs.serving import QUARTERS, quarter_of_partition
from orchestration.lib.sensors import file_drop_sensor

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_quarterly_export_runs_for_the_quarter_that_ended() -> None:
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 1, 5, 8, 0, tzinfo=SHANGHAI)
    )
    request = quarterly_export_schedule(context)
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == "2024-10-01"
    assert quarter_of_partition(request.partition_key).label == "2024Q4"
    assert quarterly_export_schedule.cron_schedule == "0 8 5 1,4,7,10 *"
    assert quarterly_export_schedule.execution_timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("today", "quarter_start"),
    [(date(2024, 4, 5), date(2024, 1, 1)), (date(2024, 1, 5), date(2023, 10, 1))],
)
def test_previous_quarter(today: date, quarter_start: date) -> None:
    assert previous_quarter_start(today) == quarter_start


def test_quarter_partitions_start_in_2023() -> None:
    keys = QUARTERS.get_partition_keys(current_time=datetime(2025, 1, 2, tzinfo=SHANGHAI))
    assert keys[0] == "2023-01-01" and keys[-1] == "2024-10-01" and len(keys) == 8


def test_the_month_end_snapshot_takes_the_month_that_ended() -> None:
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2024, 1, 1, 6, 0, tzinfo=SHANGHAI)
    )
    request = month_end_snapshot_schedule(context)
    assert isinstance(request, dg.RunRequest) and request.partition_key == "2023-12-01"
    assert nightly_schedule.execution_timezone == "Asia/Shanghai"


def test_a_drop_sensor_requests_a_run_for_new_files_only(tmp_path: Path) -> None:
    job = dg.define_asset_job("land_drop", selection=dg.AssetSelection.all())
    sensor = file_drop_sensor("test_drop", job, lambda: tmp_path)
    (tmp_path / "deaths").mkdir()
    (tmp_path / "deaths" / "deaths_20240101.csv").write_text("x", encoding="utf-8")

    first = sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(first, dg.SensorResult) and len(first.run_requests or []) == 1
    assert json.loads(first.cursor or "[]") == ["deaths/deaths_20240101.csv"]

    idle = sensor(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(idle, dg.SkipReason)

    (tmp_path / "deaths" / "deaths_20240102.csv").write_text("x", encoding="utf-8")
    second = sensor(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(second, dg.SensorResult) and len(second.run_requests or []) == 1
    assert second.run_requests[0].run_key != first.run_requests[0].run_key  # type: ignore[index]

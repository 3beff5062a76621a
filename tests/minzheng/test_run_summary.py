"""The run summary says what failed and why first, and no figure this run did not produce;
every failed run leaves an alert line, and dbt's output goes to the run log."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from minzheng import cli, settings
from minzheng.run_summary import RunOutcome, print_summary

UNREACHABLE = "source smart_assistance unreachable: http://127.0.0.1:9: ConnectError"


def _failed() -> RunOutcome:
    return RunOutcome(
        run_id="r1",
        success=False,
        published=False,
        failed_steps=[
            (f"raw__smart_assistance__{entity}", UNREACHABLE)
            for entity in ("persons", "assistance_cases", "subsidy_payments", "child_workers")
        ]
        + [("raw__elderly_care__institutions", "source elderly_care unreachable: no file")],
        elapsed_s=61.4,
    )


def test_a_failed_run_says_why_first_and_prints_no_stale_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    (tmp_path / "exports" / "2024Q4").mkdir(parents=True)  # an earlier run's export
    print_summary(settings.paths(), _failed())
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines[0] == "run r1: FAILED in 61 s"
    assert lines[1] == f"  failed: {UNREACHABLE}"
    assert (
        lines[2].startswith("    in raw__smart_assistance__persons, ") and "(4 steps)" in lines[2]
    )
    assert lines[3] == "  failed: source elderly_care unreachable: no file"
    text = "\n".join(lines)
    assert "tonight:" in text and "landed                     0 rows" in text
    for stale in ("export:", "KPI status", "rows per layer"):
        assert stale not in text
    assert "(unchanged)" in text


def test_a_failed_cli_run_appends_an_alert_and_keeps_its_output_in_the_run_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orchestration.run

    for name in list(os.environ):
        if name.startswith("MINZHENG_"):
            monkeypatch.delenv(name)
    (tmp_path / "sources").mkdir()

    def fails(*_: object, **__: object) -> RunOutcome:
        print("dbt says a lot here")
        return _failed()

    monkeypatch.setattr(orchestration.run, "run_once", fails)
    env = {
        "MINZHENG_DATA_DIR": str(tmp_path),
        "MINZHENG_SA_API_URL": "http://127.0.0.1:9",
        "MINZHENG_SA_API_TOKEN": "t",
    }
    for attempt in (1, 2):
        result = CliRunner().invoke(cli.main, ["run"], env=env)
        assert result.exit_code == 1
        assert "dbt says a lot here" not in result.output
        alerts = (tmp_path / "alerts" / "alerts.jsonl").read_text("utf-8").splitlines()
        assert len(alerts) == attempt
    record = json.loads(alerts[-1])
    assert record["run_id"] == "r1" and record["job"] == "minzheng run"
    assert {"step": "raw__smart_assistance__persons", "error": UNREACHABLE} in record[
        "failed_steps"
    ]
    logs = sorted((tmp_path / "logs").glob("run-*.log"))
    assert logs and "dbt says a lot here" in logs[-1].read_text("utf-8")
    assert f"run log:      {logs[-1]}" in result.output
    # Which city's data the night was about, for whoever reads the summary or the alert.
    assert f"city profile: {settings.city_profile_dir()}" in result.output


def test_tonight_counts_the_redelivered_rows_of_tonights_batches_only(tmp_path: Path) -> None:
    import duckdb

    from minzheng.run_summary import redelivered_rows

    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema audit")
        connection.execute(
            "create table audit.audit_batch_reconciliation as select * from (values"
            " ('b_tonight_1', 2), ('b_tonight_2', 1), ('b_earlier', 7)) as t(batch_id, redelivered_rows)"
        )
    assert redelivered_rows(warehouse, ["b_tonight_1", "b_tonight_2"]) == 3
    assert redelivered_rows(warehouse, []) == 0
    assert redelivered_rows(tmp_path / "none.duckdb", ["b_tonight_1"]) == 0


def test_a_stopped_run_says_so_and_lists_no_step_it_kept_from_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from minzheng.stopping import NOT_STARTED

    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    stopped = RunOutcome(
        run_id="r2",
        success=False,
        published=False,
        failed_steps=[("serving__minzheng", f"{NOT_STARTED} (SIGTERM) before this step")],
        stopped="SIGTERM",
        elapsed_s=12.0,
    )
    print_summary(settings.paths(), stopped)
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines[0] == "run r2: STOPPED by SIGTERM in 12 s"
    assert lines[1].startswith("  the step in progress finished; steps not started: 1;")
    assert not [line for line in lines if line.startswith("  failed:")]


def test_the_current_plans_kpis_without_a_measure_are_listed(tmp_path: Path) -> None:
    """A KPI the 2025 plan adds before a model measures it is named, not silently missing; one
    of an earlier plan, or of a plan whose months have not begun, is not the current plan's."""
    import duckdb

    from minzheng.run_summary import unmeasured_kpis

    serving = tmp_path / "minzheng.duckdb"
    with duckdb.connect(str(serving)) as connection:
        connection.execute("create schema kpi; create schema conformed")
        connection.execute(
            "create table kpi.kpi_catalog as select * from (values"
            " (2024, 1, 'SA01', '临时救助', true), (2024, 2, 'SA08', '旧的未计算指标', false),"
            " (2025, 1, 'SA01', '临时救助', true), (2025, 3, 'SA09', '新增未计算指标', false),"
            " (2025, 2, 'SA07', '另一个新增指标', false), (2026, 1, 'SA10', '明年的指标', false))"
            " as t(plan_year, catalog_order, kpi_code, kpi_name_zh, has_measure)"
        )
        connection.execute(
            "create table conformed.dim_calendar as select * from (values"
            " (2024, false), (2025, true), (2026, false)) as t(plan_year, is_current_plan_year)"
        )
    assert unmeasured_kpis(serving) == [
        (2025, "SA07", "另一个新增指标"),
        (2025, "SA09", "新增未计算指标"),
    ]

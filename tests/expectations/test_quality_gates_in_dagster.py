"""A failing blocking check stops the real Dagster job before publish; serving keeps its SHA-256.

The second half of "a violating batch blocks publish" (the first, that every blocking rule fails
as blocking, is ``test_blocking_rules.py``): whatever blocking expectation fails, the
``source_contract`` check fails, and then

- ``source_contract``: the nightly job, run for a raw entity and everything downstream of it,
  extracts a daily file that breaks a blocking rule, fails the check and never starts the dbt build
  nor publish;
- ``published_contract``: the KPI contract failing on the build stops publish; the same job with
  a complete KPI grid publishes (the control that shows publish would otherwise have run);
- and every raw asset, the KPI table and the audit carry such a blocking gate upstream of publish.

The job and the assets are the production definitions (``build_definitions``), run in process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from expectations.suites import RAW_SUITES
from minzheng import settings
from orchestration.lib.dbt import prepare_manifest
from tests.expectations.violations import Rule, suite_of, valid_rows, violation

RAW_DEATHS = dg.AssetKey(["raw", "civil_registry", "deaths"])
KPI_PROGRESS = dg.AssetKey(["kpi", "kpi_progress"])
SERVING = dg.AssetKey(["serving", "minzheng"])
DBT_STEP = "warehouse_models"
PUBLISH_STEP = "serving__minzheng"


@dataclass(frozen=True)
class Pipeline:
    definitions: dg.Definitions
    data_dir: Path

    @property
    def paths(self) -> settings.Paths:
        return settings.paths()

    def run(self, job: dg.JobDefinition, **kwargs: object) -> dg.ExecuteInProcessResult:
        return job.execute_in_process(
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
            **kwargs,  # type: ignore[arg-type]
        )


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    data_dir = tmp_path_factory.mktemp("gates")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MINZHENG_DATA_DIR", str(data_dir))
        env.setenv("DAGSTER_HOME", str(data_dir / ".dagster"))
        env.setenv("MINZHENG_DATA_AS_OF", "2024-12-31")
        env.delenv("MINZHENG_SA_API_URL", raising=False)
        prepare_manifest()
        from orchestration.definitions import build_definitions

        yield Pipeline(build_definitions(), data_dir)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _serve_something(serving: Path) -> str:
    """A serving file as a previous publish left it; its SHA-256."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    serving.unlink(missing_ok=True)
    with duckdb.connect(str(serving)) as connection:
        connection.execute("create schema kpi")
        connection.execute("create table kpi.kpi_progress as select 'previous' as kpi_code")
    return _sha256(serving)


def _failed_blocking_checks(result: dg.ExecuteInProcessResult) -> set[tuple[str, str]]:
    return {
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    }


def _materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {
        m.asset_key.to_user_string()
        for m in result.get_asset_materialization_events()
        if m.asset_key is not None
    }


def _started_steps(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.step_key for e in result.all_events if e.is_step_start and e.step_key}


def test_a_failing_source_contract_stops_the_build_and_publish(pipeline: Pipeline) -> None:
    # Imported here: the orchestration modules read the dbt manifest the fixture prepares.
    from orchestration.defs.schedules import nightly as nightly_selection

    serving = pipeline.paths.serving
    before = _serve_something(serving)
    # A daily file from the exchange breaking one blocking rule (a county outside Taizhou),
    # built by the same machinery that breaks every rule in test_blocking_rules.py.
    suite = suite_of("civil_registry", "deaths")
    position = next(
        i
        for i, e in enumerate(suite.expectations)
        if getattr(e, "column", None) == "registration_county_code"
        and e.expectation_type == "expect_column_values_to_be_in_set"
    )
    [batch] = violation(Rule("civil_registry", "deaths", position), rows_elsewhere=5)
    _write_daily_file(
        pd.concat([valid_rows(suite, range(5)), batch.frame], ignore_index=True),
        settings.source_access().civil_inbox_dir / "deaths" / "deaths_20241230.csv",
    )

    # The nightly job, for the entity and everything downstream of it: build, audit, publish.
    graph = pipeline.definitions.resolve_asset_graph()
    selected = (
        dg.AssetSelection.assets(RAW_DEATHS).downstream() & nightly_selection.selection
    ).resolve(graph)
    assert {SERVING, KPI_PROGRESS} <= selected
    nightly = pipeline.definitions.resolve_job_def("nightly")
    result = pipeline.run(nightly, asset_selection=sorted(selected))

    assert not result.success
    assert _failed_blocking_checks(result) == {("raw/civil_registry/deaths", "source_contract")}
    [evaluation] = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "source_contract"
    ]
    assert "registration_county_code" in str(evaluation.metadata["failed"].value)
    assert _materialized(result) == {"raw/civil_registry/deaths"}  # the file landed, no more
    # The build and publish were in the run, waiting on the check, and never started.
    planned = set(result.job_def.graph.node_dict)
    assert {DBT_STEP, PUBLISH_STEP} <= planned
    assert not {DBT_STEP, PUBLISH_STEP} & _started_steps(result)
    assert _sha256(serving) == before


def _write_daily_file(rows: pd.DataFrame, path: Path) -> None:
    """As the data exchange delivers it: a UTF-8 CSV with the contract's header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(path, index=False, encoding="utf-8")


def _warehouse_with_kpi_grid(warehouse: Path, *, actual_value: float) -> None:
    """The tables the published contract reads: a one-row grid, complete, of one ratio KPI."""
    warehouse.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema kpi; create schema conformed")
        connection.execute(
            "create table kpi.kpi_plan_by_year as select 'city' as scope, 2024 as plan_year"
        )
        connection.execute(
            "create table conformed.dim_calendar as select 2024 as plan_year, true as is_reported"
        )
        connection.execute(
            "create table conformed.dim_region as select '321200' as region_code, "
            "'city' as region_level"
        )
        connection.execute(
            "create table kpi.kpi_progress as select 'K01' as kpi_code, "
            "date '2024-12-01' as period_month, '321200' as region_code, '达标' as status, "
            "'city' as region_level, ? as actual_value, 'ratio' as measure_type, "
            "0.4 as target_value, 'explicit' as target_basis, date '2024-12-31' as data_as_of",
            [actual_value],
        )


def _publish_job(pipeline: Pipeline) -> dg.JobDefinition:
    """The published contract and publish, on the build already there (no dbt run)."""
    gate = dg.AssetSelection.checks(dg.AssetCheckKey(KPI_PROGRESS, "published_contract"))
    job = dg.define_asset_job("publish_gate", selection=gate | dg.AssetSelection.assets(SERVING))
    return dg.Definitions.merge(pipeline.definitions, dg.Definitions(jobs=[job])).resolve_job_def(
        job.name
    )


@pytest.mark.parametrize(
    ("actual_value", "publishes"), [(1.5, False), (0.5, True)], ids=["ratio_above_1", "complete"]
)
def test_the_published_contract_gates_publish(
    pipeline: Pipeline, actual_value: float, publishes: bool
) -> None:
    paths = pipeline.paths
    _warehouse_with_kpi_grid(paths.warehouse, actual_value=actual_value)
    before = _serve_something(paths.serving)

    result = pipeline.run(_publish_job(pipeline))

    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.asset_key, evaluation.check_name) == (KPI_PROGRESS, "published_contract")
    assert evaluation.passed is publishes
    if publishes:
        assert result.success and _materialized(result) == {"serving/minzheng"}
        assert _sha256(paths.serving) != before
        with duckdb.connect(str(paths.serving), read_only=True) as connection:
            row = connection.execute("select actual_value from kpi.kpi_progress").fetchone()
        assert row == (0.5,)
    else:
        assert not result.success
        assert "actual_value" in str(evaluation.metadata["failed"].value)
        assert _materialized(result) == set()
        assert _sha256(paths.serving) == before


def test_every_gate_is_blocking_and_upstream_of_publish(pipeline: Pipeline) -> None:
    """What the runs above show for one raw entity holds for each: every raw asset, the KPI table
    and the audit carry a blocking gate, and publish is downstream of all of them."""
    graph = pipeline.definitions.resolve_asset_graph()
    gates = {
        dg.AssetCheckKey(dg.AssetKey(["raw", source, entity]), "source_contract")
        for source, entity in RAW_SUITES
    } | {
        dg.AssetCheckKey(KPI_PROGRESS, "published_contract"),
        dg.AssetCheckKey(
            dg.AssetKey(["audit", "audit_entity_reconciliation"]), "landed_batches_reconcile"
        ),
    }
    assert gates <= set(graph.asset_check_keys)
    for gate in gates:
        assert graph.get_check_spec(gate).blocking, gate
        downstream = dg.AssetSelection.assets(gate.asset_key).downstream().resolve(graph)
        assert SERVING in downstream, gate

"""Incremental facts give what a full refresh gives on the same raw data.

Builds the incremental models (and what they read) from the hand-made raw zone, lands a late batch
(new rows, corrected versions, corrections that break a row-level contract, a late resident and a
late death), runs them incrementally, and compares every incremental model's content with a
``--full-refresh`` of the same models on the same raw data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DATA_AS_OF, run_dbt
from warehouse_raw_fixtures import write_late_batches, write_lookup_only_batches, write_raw_zone

INCREMENTAL = "config.materialized:incremental"


@dataclass(frozen=True)
class Contents:
    """Per incremental model (schema.name): row count and an order-independent digest."""

    digests: dict[str, tuple[int, str]]
    rows: dict[str, list[dict[str, object]]]


def incremental_models(data_dir: Path) -> list[str]:
    result = run_dbt(
        ["ls", "--resource-type", "model", "-s", INCREMENTAL, "--output", "json", "--quiet"],
        data_dir,
    )
    nodes = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return sorted(f"{node['config']['schema']}.{node['name']}" for node in nodes)


def read_contents(warehouse: Path, models: list[str]) -> Contents:
    digests: dict[str, tuple[int, str]] = {}
    rows: dict[str, list[dict[str, object]]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for model in models:
            cursor = conn.execute(f"select * from {model}")
            names = [column[0] for column in cursor.description]
            records = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            lines = sorted(json.dumps(record, default=str, sort_keys=True) for record in records)
            digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
            digests[model] = (len(lines), digest)
            rows[model] = records
    return Contents(digests, rows)


@dataclass(frozen=True)
class Runs:
    models: list[str]
    before: Contents
    incremental: Contents
    full_refresh: Contents
    incremental_sql: dict[str, str]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    data_dir = write_raw_zone(tmp_path_factory.mktemp("minzheng_incremental"))
    warehouse = data_dir / "warehouse.duckdb"
    models = incremental_models(data_dir)
    run_dbt(["seed", "--quiet"], data_dir)
    upstream_and_incremental = ["run", "-s", f"+{INCREMENTAL}", "--vars", DATA_AS_OF]
    run_dbt(upstream_and_incremental, data_dir)
    before = read_contents(warehouse, models)

    write_late_batches(data_dir)
    run_dbt(upstream_and_incremental, data_dir)
    incremental = read_contents(warehouse, models)
    run_folder = data_dir / "dbt_target" / "run"
    incremental_sql = {
        path.stem: path.read_text(encoding="utf-8") for path in run_folder.rglob("*.sql")
    }

    run_dbt(["run", "-s", INCREMENTAL, "--full-refresh", "--vars", DATA_AS_OF], data_dir)
    full_refresh = read_contents(warehouse, models)
    yield Runs(models, before, incremental, full_refresh, incremental_sql)


def test_every_large_fact_is_incremental(runs: Runs) -> None:
    assert set(runs.models) >= {
        "marts.fct_subsidy_payments",
        "marts.fct_home_service_orders",
        "marts.fct_care_visits",
        "marts.dim_older_residents",
        "marts.fct_child_survey_submissions",
    }


def test_second_run_merged_rather_than_rebuilt(runs: Runs) -> None:
    for model in runs.models:
        sql = runs.incremental_sql[model.split(".")[1]]
        assert "merge into" in sql.lower(), model


def test_late_batch_changed_every_incremental_model(runs: Runs) -> None:
    for model in runs.models:
        assert runs.before.digests[model] != runs.incremental.digests[model], model


def test_incremental_equals_full_refresh(runs: Runs) -> None:
    for model in runs.models:
        assert runs.incremental.digests[model] == runs.full_refresh.digests[model], (
            model,
            sorted(map(str, runs.incremental.rows[model])),
            sorted(map(str, runs.full_refresh.rows[model])),
        )


def _by_key(rows: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
    return {row[key]: row for row in rows}


def test_corrections_retractions_and_late_arrivals(runs: Runs) -> None:
    payments = _by_key(runs.incremental.rows["marts.fct_subsidy_payments"], "payment_id")
    assert "PM0000000001" not in payments  # its correction is quarantined
    assert payments["PM0000000007"]["is_precise"] is True  # new
    assert payments["PM0000000003"]["is_duplicate_payment"] is False  # PM2 moved to person 10
    assert payments["PM0000000002"]["is_paid_after_death"] is False  # November, died 20 November
    assert payments["PM0000000005"]["is_paid_after_death"] is True  # December, late death record
    assert payments["PM0000000004"]["is_precise"] is True  # household corrected to 低保
    assert str(payments["PM0000000004"]["amount"]) == "85.00"
    assert all(row["extracted_at"] is not None for row in payments.values())

    residents = _by_key(runs.incremental.rows["marts.dim_older_residents"], "resident_id")
    assert set(residents) == {"LN00000001", "LN00000003", "LN00000004"}
    assert residents["LN00000001"]["county_code"] == "321281"

    orders = _by_key(runs.incremental.rows["marts.fct_home_service_orders"], "order_id")
    assert set(orders) == {101, 103, 104, 106}  # 102: resident quarantined; 105: a twin
    assert orders[101]["county_code"] == "321281"
    assert orders[103]["county_code"] == "321282"  # the late resident

    visits = _by_key(runs.incremental.rows["marts.fct_care_visits"], "visit_id")
    assert set(visits) == {201, 203, 204, 205}
    assert str(visits[204]["visit_date"]) == "2024-11-16"

    submissions = _by_key(
        runs.incremental.rows["marts.fct_child_survey_submissions"], "submission_id"
    )
    assert "CS0000000002" not in submissions
    assert submissions["CS0000000001"]["county_code"] == "321282"
    assert "CS0000000005" in submissions


@pytest.fixture(scope="module")
def rebuilt_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[object]]:
    """Per resident-grouped fact, the keys a night rebuilt after a lookup-only re-extraction.

    Every held row is marked (extracted_at moved on by a microsecond, so the watermark moves with
    it); a row the incremental run rebuilds comes back with its staged extracted_at, unmarked.
    """
    data_dir = write_raw_zone(tmp_path_factory.mktemp("minzheng_incremental_scope"))
    facts = {"marts.fct_home_service_orders": "order_id", "marts.fct_care_visits": "visit_id"}
    run_dbt(["seed", "--quiet"], data_dir)
    build = ["run", "-s", "+fct_home_service_orders", "+fct_care_visits", "--vars", DATA_AS_OF]
    run_dbt(build, data_dir)
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        for fact in facts:
            conn.execute(f"update {fact} set extracted_at = extracted_at + interval 1 microsecond")
    write_lookup_only_batches(data_dir)
    run_dbt(build, data_dir)
    rebuilt: dict[str, set[object]] = {}
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        for fact, key in facts.items():
            rows = conn.execute(
                f"select {key} from {fact} where microsecond(extracted_at) % 1000 = 0"
            ).fetchall()
            rebuilt[fact] = {row[0] for row in rows}
    return rebuilt


def test_a_night_rebuilds_only_the_groups_it_touches(rebuilt_keys: dict[str, set[object]]) -> None:
    # LN00000004's new order rebuilds her orders; LN00000001's record was re-extracted unchanged,
    # so her order 101 and visit 201 are left as they were.
    assert rebuilt_keys["marts.fct_home_service_orders"] == {104, 105, 107}
    assert rebuilt_keys["marts.fct_care_visits"] == set()

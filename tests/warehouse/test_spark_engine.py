"""The same dbt project on Apache Spark: it builds, and its marts and KPIs equal DuckDB's.

One Spark build (one session, `minzheng-dbt build`) on a copy of the hand-made raw zone the DuckDB
`build` fixture used, the smallest raw zone that reaches every model; its tables land in a DuckDB
build file of their own, compared table by table with DuckDB's (minzheng.parity).
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DATA_AS_OF, TEST_PII_KEY, Build, run_dbt

from minzheng import parity

MINZHENG_DBT = Path(sys.executable).with_name("minzheng-dbt")
# The Spark build of every node takes minutes (JVM, metastore, an Iceberg commit per table).
pytestmark = pytest.mark.timeout(2400)


@dataclass(frozen=True)
class SparkBuild:
    data_dir: Path
    target_dir: Path
    log_dir: Path
    seconds: float
    output: str

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"


@pytest.fixture(scope="module")
def spark_build(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkBuild]:
    data_dir = tmp_path_factory.mktemp("minzheng_spark")
    shutil.copytree(build.data_dir / "raw", data_dir / "raw")
    started = time.monotonic()
    result = run_dbt(
        ["build", "--vars", DATA_AS_OF], data_dir, timeout=1800, executable=MINZHENG_DBT
    )
    seconds = time.monotonic() - started
    yield SparkBuild(
        data_dir,
        data_dir / "dbt_target",
        data_dir / "dbt_logs",
        seconds,
        result.stdout + result.stderr,
    )


def test_every_node_builds_and_passes_on_spark(spark_build: SparkBuild, build: Build) -> None:
    results = json.loads((spark_build.target_dir / "run_results.json").read_text())["results"]
    bad = {r["unique_id"]: r["status"] for r in results if r["status"] not in {"success", "pass"}}
    assert not bad
    manifest = json.loads((build.target_dir / "manifest.json").read_text())
    expected = {
        node_id
        for node_id, node in manifest["nodes"].items()
        if node["resource_type"] in {"model", "seed", "test", "unit_test"}
        and node["config"].get("materialized") != "ephemeral"
    } | set(manifest.get("unit_tests", {}))
    assert expected - {r["unique_id"] for r in results} == set()
    print(f"Spark build: {len(results)} nodes in {spark_build.seconds:.0f} s")


def test_marts_and_kpi_progress_equal_duckdb(spark_build: SparkBuild, build: Build) -> None:
    with duckdb.connect(str(build.warehouse), read_only=True) as db:
        compared = parity.parity_tables(db)
    assert len(compared) > 30 and "kpi.kpi_progress" in compared
    assert parity.differences(build.warehouse, spark_build.warehouse) == {}


def test_same_person_key_on_both_engines(spark_build: SparkBuild, build: Build) -> None:
    query = "select person_key from conformed.dim_person order by 1"
    keys = []
    for warehouse in (build.warehouse, spark_build.warehouse):
        with duckdb.connect(str(warehouse), read_only=True) as db:
            keys.append([key for (key,) in db.execute(query).fetchall()])
    assert keys[0] and keys[0] == keys[1]
    assert all(len(key) == 64 for key in keys[1])


def test_key_appears_in_no_spark_sql_or_artefact(spark_build: SparkBuild) -> None:
    needle = TEST_PII_KEY.encode()
    assert needle not in spark_build.output.encode()
    for folder in (spark_build.target_dir, spark_build.log_dir, spark_build.data_dir / "spark"):
        files = [path for path in folder.rglob("*") if path.is_file()]
        assert files
        holding = [path for path in files if needle in path.read_bytes()]
        assert holding == []

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from minzheng.publish import previous_path, publish, rollback


def _warehouse(path: Path, value: int) -> None:
    with duckdb.connect(str(path)) as connection:
        for schema in ("staging", "kpi", "marts"):
            connection.execute(f"create schema if not exists {schema}")
        connection.execute("create or replace table staging.secret as select 'x' as id_number")
        connection.execute(f"create or replace table kpi.kpi_progress as select {value} as v")
        connection.execute("create or replace view marts.v_fact as select 1 as n")


def _read(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        row = connection.execute("select v from kpi.kpi_progress").fetchone()
        assert row is not None
        return int(row[0])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_copies_only_serving_schemas_and_keeps_the_previous(tmp_path: Path) -> None:
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving" / "minzheng.duckdb"
    _warehouse(warehouse, 1)
    first = publish(warehouse, serving)
    assert first.previous_file is None
    assert set(first.tables) == {"kpi.kpi_progress", "marts.v_fact"}
    _warehouse(warehouse, 2)
    second = publish(warehouse, serving)
    assert _read(serving) == 2 and second.previous_file == previous_path(serving)
    assert _read(previous_path(serving)) == 1
    rollback(serving)
    assert _read(serving) == 1 and _read(previous_path(serving)) == 2
    assert not list(serving.parent.glob(".*"))


def test_a_failed_publish_leaves_serving_byte_identical(tmp_path: Path) -> None:
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving" / "minzheng.duckdb"
    _warehouse(warehouse, 1)
    publish(warehouse, serving)
    before = _sha(serving)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="holds none of the schemas"):
        publish(empty, serving)
    assert _sha(serving) == before
    assert not list(serving.parent.glob(".*"))

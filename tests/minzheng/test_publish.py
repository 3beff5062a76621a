from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from minzheng.publish import (
    KEPT_SERVING_FILES,
    NothingToRollBackTo,
    kept_files,
    publication,
    publish,
    rollback,
)


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


def _paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "warehouse.duckdb", tmp_path / "serving" / "minzheng.duckdb"


def test_publish_copies_only_serving_schemas_and_says_which_run_published(
    tmp_path: Path,
) -> None:
    warehouse, serving = _paths(tmp_path)
    _warehouse(warehouse, 1)
    first = publish(warehouse, serving, run_id="r1")
    assert first.replaced is None and not first.unchanged
    assert set(first.tables) == {"kpi.kpi_progress", "marts.v_fact"}
    assert publication(serving) == first.served and first.served.run_id == "r1"
    _warehouse(warehouse, 2)
    second = publish(warehouse, serving, run_id="r2")
    assert _read(serving) == 2 and second.replaced == first.served
    assert [publication(path) for path in kept_files(serving)] == [first.served, second.served]
    assert not list(serving.parent.glob(".*"))


def test_rollback_steps_back_through_the_kept_files_and_refuses_past_the_oldest(
    tmp_path: Path,
) -> None:
    warehouse, serving = _paths(tmp_path)
    published = []
    for value in (1, 2, 3):
        _warehouse(warehouse, value)
        published.append(publish(warehouse, serving, run_id=f"r{value}").served)
    first = rollback(serving)
    assert (first.served, first.replaced) == (published[1], published[2]) and _read(serving) == 2
    second = rollback(serving)
    assert second.served == published[0] and _read(serving) == 1
    with pytest.raises(NothingToRollBackTo, match="is the oldest of the 3 kept"):
        rollback(serving)
    assert _read(serving) == 1
    # The next night publishes anew, after everything kept.
    _warehouse(warehouse, 4)
    fourth = publish(warehouse, serving, run_id="r4")
    assert fourth.replaced == published[0] and _read(serving) == 4
    assert rollback(serving).served == published[2]


def test_the_history_keeps_the_last_files_only(tmp_path: Path) -> None:
    warehouse, serving = _paths(tmp_path)
    for value in range(KEPT_SERVING_FILES + 2):
        _warehouse(warehouse, value)
        publish(warehouse, serving, run_id=f"r{value}")
    kept = [publication(path) for path in kept_files(serving)]
    assert [record.run_id for record in kept if record] == [
        f"r{value}" for value in range(2, KEPT_SERVING_FILES + 2)
    ]


def test_a_night_with_the_same_figures_publishes_nothing(tmp_path: Path) -> None:
    warehouse, serving = _paths(tmp_path)
    _warehouse(warehouse, 1)
    first = publish(warehouse, serving, run_id="r1")
    before = _sha(serving)
    again = publish(warehouse, serving, run_id="r2")
    assert again.unchanged and again.served == first.served and again.replaced is None
    assert _sha(serving) == before and len(kept_files(serving)) == 1
    assert not list(serving.parent.glob(".*"))


def test_a_failed_publish_leaves_serving_byte_identical(tmp_path: Path) -> None:
    warehouse, serving = _paths(tmp_path)
    _warehouse(warehouse, 1)
    publish(warehouse, serving, run_id="r1")
    before = _sha(serving)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="holds none of the schemas"):
        publish(empty, serving, run_id="r2")
    assert _sha(serving) == before
    assert not list(serving.parent.glob(".*"))

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from minzheng.raw_zone import as_text_frame, content_hash
from sources.elderly_care.client import TABLE_KEYS, ElderlyCareClient, sqlite_url, value_as_text

UNTIL = "2024-12-31 23:59:59"


def test_reads_in_bounded_ordered_text_chunks(simulated: dict[str, Any]) -> None:
    db = simulated["dir"] / "elderly_care" / "elderly_care.sqlite"
    client = ElderlyCareClient(sqlite_url(db), chunk_size=7)
    assert client.tables() == list(TABLE_KEYS)
    chunks = list(client.read_window("bed_capacity_changes", None, UNTIL))
    assert len(chunks) > 2 and all(len(c) <= 7 for c in chunks)
    rows = [r for c in chunks for r in c.itertuples(index=False)]
    assert len(rows) == simulated["counts"]["elderly_care"]["bed_capacity_changes"]
    keys = [(str(r.updated_at), int(str(r.change_id))) for r in rows]
    assert keys == sorted(keys)
    for chunk in chunks:
        assert all(v is None or isinstance(v, str) for v in chunk.to_numpy().ravel())
    client.close()


def test_window_is_exclusive_then_inclusive(simulated: dict[str, Any]) -> None:
    db: Path = simulated["dir"] / "elderly_care" / "elderly_care.sqlite"
    with sqlite3.connect(db) as conn:
        stamps = [
            r[0] for r in conn.execute("SELECT updated_at FROM institutions ORDER BY updated_at")
        ]
    since, until = stamps[len(stamps) // 3], stamps[2 * len(stamps) // 3]
    client = ElderlyCareClient(sqlite_url(db), chunk_size=1000)
    got = [v for c in client.read_window("institutions", since, until) for v in c["updated_at"]]
    assert got == [s for s in stamps if since < s <= until]
    client.close()


def test_every_table_reads_whole_in_key_order(simulated: dict[str, Any]) -> None:
    db = simulated["dir"] / "elderly_care" / "elderly_care.sqlite"
    client = ElderlyCareClient(sqlite_url(db), chunk_size=20_000)
    for table in ("older_residents", "home_service_orders", "facility_events", "care_staff"):
        chunks = list(client.read_window(table, None, UNTIL))
        assert sum(len(c) for c in chunks) == simulated["counts"]["elderly_care"][table]
        stamps = [s for c in chunks for s in c["updated_at"]]
        assert stamps == sorted(stamps)
    client.close()


def _read_value_by_value(db: Path, table: str) -> pd.DataFrame:
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY updated_at, "{TABLE_KEYS[table]}"')
        columns = [d[0] for d in cursor.description]
        rows = [[value_as_text(v) for v in row] for row in cursor]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def test_column_wise_text_equals_the_value_by_value_rule_on_every_table(
    simulated: dict[str, Any],
) -> None:
    """The raw batches keep their content hashes: every table of the simulated system, read
    column-wise in chunks, is the text the value-by-value rule gives, batch for batch."""
    db = simulated["dir"] / "elderly_care" / "elderly_care.sqlite"
    client = ElderlyCareClient(sqlite_url(db), chunk_size=1_000)
    for table in TABLE_KEYS:
        expected = _read_value_by_value(db, table)
        chunks = list(client.read_window(table, None, UNTIL))
        got = pd.concat(chunks, ignore_index=True)
        pd.testing.assert_frame_equal(got, expected)
        assert content_hash(as_text_frame(got)) == content_hash(as_text_frame(expected))
    client.close()


def test_mixed_and_unusual_values_keep_the_value_by_value_text(tmp_path: Path) -> None:
    """SQLite stores what it is given: a column may mix integers, reals, text and nulls."""
    db = tmp_path / "mixed.sqlite"
    values = [
        (1, "2024-01-01 00:00:00", 7, "甲", None, 2.5),
        (2, "2024-01-02 00:00:00", None, "乙", 3.0, 4.0),
        (3, "2024-01-03 00:00:00", 9, None, "x", 0.1),
        (4, "2024-01-04 00:00:00", -12345678901234, "", 1e20, None),
    ]
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE care_staff (staff_id INTEGER PRIMARY KEY, updated_at TEXT, "
            "count_col INTEGER, name TEXT, mixed, real_col REAL)"
        )
        conn.executemany("INSERT INTO care_staff VALUES (?, ?, ?, ?, ?, ?)", values)
    client = ElderlyCareClient(sqlite_url(db), chunk_size=2)
    got = pd.concat(list(client.read_window("care_staff", None, UNTIL)), ignore_index=True)
    client.close()
    expected = pd.DataFrame(
        [[value_as_text(v) for v in row] for row in values],
        columns=["staff_id", "updated_at", "count_col", "name", "mixed", "real_col"],
        dtype=object,
    )
    pd.testing.assert_frame_equal(got, expected)
    assert list(got["real_col"]) == ["2.5", "4", "0.1", None]
    assert list(got["mixed"]) == [None, "3", "x", "100000000000000000000"]

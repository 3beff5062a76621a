from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sources.elderly_care.client import TABLE_KEYS, ElderlyCareClient, sqlite_url

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

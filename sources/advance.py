"""Move the simulated source systems on by some days, as a nightly run would find them.

The simulation clock (``as_of`` in ``_bookkeeping/summary.json``, the simulated end date at
first) moves one day at a time; on each day every system changes in its own medium, in the full
simulation's order (the assistance platform's recipient deaths are registered at the exchange the
same day). Each day's draws come from the seed and the date alone and each system reads the
state it needs from its medium, so the same seed and the same days give the same sources however
the days are split between advances.

Bookkeeping: one entry per advance in ``advances.json`` (rows added and changed per system and
entity, files delivered), ``source_counts.json`` and ``summary.json`` brought up to date. The
plan year's ``kpi_truth.csv`` and ``injected.json`` are left as the full simulation wrote them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sources.civil_registry import advance as civil_registry
from sources.common.advancing import ChangeLog
from sources.common.simtools import progress as progress_bar
from sources.elderly_care import advance as elderly_care
from sources.elderly_care.client import TABLE_KEYS
from sources.elderly_care.simulator import DB_NAME
from sources.simulate import BOOKKEEPING
from sources.smart_assistance import advance as smart_assistance
from sources.smart_assistance.server import ENTITY_KEYS
from sources.smart_assistance.simulator import STORE_NAME
from sources.social_org_registry import advance as social_org_registry

DaySteps = Callable[..., ChangeLog]
# The full simulation's order: later systems see what the earlier ones did that day.
SYSTEMS: dict[str, DaySteps] = {
    "smart_assistance": smart_assistance.advance_day,
    "elderly_care": elderly_care.advance_day,
    "social_org_registry": social_org_registry.advance_day,
    "civil_registry": civil_registry.advance_day,
}
# The systems whose media are tables: a record changed on several days is one changed row.
TABLES = {
    "smart_assistance": (STORE_NAME, tuple(ENTITY_KEYS)),
    "elderly_care": (DB_NAME, tuple(TABLE_KEYS)),
}
ADVANCES = "advances.json"
# Marks a day begun and not finished: the media would be part-way through it.
UNFINISHED = "advancing"


class AdvanceError(RuntimeError):
    """The sources cannot be moved on (no simulation yet, or one left part-way through a day)."""


def clock(out_dir: Path) -> date:
    """The simulated day the sources stand at."""
    summary = _read_summary(out_dir)
    return date.fromisoformat(summary.get("as_of", summary["end"]))


def advance(out_dir: Path, *, days: int, progress: bool = True) -> dict[str, Any]:
    """Move every system in ``out_dir`` on by ``days`` days; returns the bookkeeping entry."""
    if days < 1:
        raise ValueError(f"advance by at least one day, not {days}")
    out_dir = Path(out_dir)
    summary = _read_summary(out_dir)
    if UNFINISHED in summary:
        raise AdvanceError(
            f"an earlier advance stopped part-way through {summary[UNFINISHED]}: the sources are "
            "inconsistent; regenerate them with `minzheng simulate --reset`"
        )
    began = time.perf_counter()
    start = date.fromisoformat(summary.get("as_of", summary["end"]))
    seed, scale = int(summary["seed"]), float(summary["scale"])
    logs = {system: ChangeLog() for system in SYSTEMS}
    rows_before = {system: _row_counts(out_dir / system / db, tables)
                   for system, (db, tables) in TABLES.items()}  # fmt: skip
    for offset in progress_bar(range(1, days + 1), "advancing the sources", progress):
        day = start + timedelta(days=offset)
        summary[UNFINISHED] = day.isoformat()
        _write_json(out_dir / BOOKKEEPING / "summary.json", summary)
        shared: dict[str, Any] = {}
        for system, step in SYSTEMS.items():
            logs[system].merge(step(out_dir / system, day, seed=seed, scale=scale, shared=shared))
        del summary[UNFINISHED]
        summary["as_of"] = day.isoformat()
        _write_json(out_dir / BOOKKEEPING / "summary.json", summary)
    first_day = (start + timedelta(days=1)).isoformat()
    for system, (db, tables) in TABLES.items():
        logs[system] = _table_changes(out_dir / system / db, tables, rows_before[system], first_day)

    entry = {
        "from": start.isoformat(),
        "to": summary["as_of"],
        "days": days,
        "seed": seed,
        "scale": scale,
        "systems": {system: log.as_dict() for system, log in logs.items()},
        "files": {system: log.files for system, log in logs.items() if log.files},
        "seconds": round(time.perf_counter() - began, 2),
    }
    _keep_books(out_dir / BOOKKEEPING, summary, logs, entry)
    return entry


def _row_counts(db: Path, tables: tuple[str, ...]) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _table_changes(
    db: Path, tables: tuple[str, ...], rows_before: dict[str, int], first_day: str
) -> ChangeLog:
    """What the advance did to each table, read from the table: rows it holds on top of before
    (added) and earlier rows with an ``updated_at`` in the new days (changed, once however many
    days they changed on; the watermark extract after the advance reads each once)."""
    log = ChangeLog()
    rows_after = _row_counts(db, tables)
    with sqlite3.connect(db) as conn:
        for table in tables:
            (touched,) = conn.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE updated_at >= ?', (first_day,)
            ).fetchone()
            added = rows_after[table] - rows_before[table]
            log.record(table, added=added, changed=touched - added)
    return log


def _keep_books(
    books: Path, summary: dict[str, Any], logs: dict[str, ChangeLog], entry: dict[str, Any]
) -> None:
    counts_path = books / "source_counts.json"
    counts = json.loads(counts_path.read_text("utf-8"))
    for system, log in logs.items():
        for entity, change in log.entities.items():
            counts.setdefault(system, {})
            counts[system][entity] = counts[system].get(entity, 0) + change.served
    _write_json(counts_path, counts)
    summary["counts"] = counts
    _write_json(books / "summary.json", summary)
    history_path = books / ADVANCES
    history = json.loads(history_path.read_text("utf-8")) if history_path.exists() else []
    history.append(entry)
    _write_json(history_path, history)


def _read_summary(out_dir: Path) -> dict[str, Any]:
    path = Path(out_dir) / BOOKKEEPING / "summary.json"
    if not path.exists():
        raise AdvanceError(f"no simulated sources at {out_dir}: run `minzheng simulate` first")
    summary: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return summary


def _write_json(path: Path, value: object) -> None:
    # Written whole and renamed, so a reader never finds half a file.
    scratch = path.with_suffix(".json.tmp")
    scratch.write_text(json.dumps(value, ensure_ascii=False, indent=2), "utf-8")
    scratch.replace(path)

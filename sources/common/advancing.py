"""What the systems' daily advances share: the day's random stream, daily volumes, the next keys,
the change tally, and reading and writing rows of the SQLite stores.

An advance moves a system on one day at a time. Each day draws from its own stream, keyed by the
seed, the system and the date, and reads the state it needs from the system's own medium, so the
same seed and the same days give the same rows however the days are split between advances.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from sources.common.simtools import d64, office_times

# Spawn key that keeps the advance's draws apart from the full simulation's ([seed, system, ...]).
ADVANCE_STREAM = 9
DAYS_PER_YEAR = 365.0


def day_rng(seed: int, system: int, day: date) -> np.random.Generator:
    """The random stream of one system on one day."""
    return np.random.default_rng([seed, ADVANCE_STREAM, system, day.toordinal()])


def daily_count(rng: np.random.Generator, per_year: float) -> int:
    """How many events of a process running at ``per_year`` happen in one day.

    Poisson rather than rounding, so that a small scale still sees the occasional event.
    """
    return int(rng.poisson(max(per_year, 0.0) / DAYS_PER_YEAR))


def daily_chance(per_year: float) -> float:
    """The chance a yearly hazard strikes on a given day."""
    return 1.0 - float(np.exp(-per_year / DAYS_PER_YEAR))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def next_numbers(existing: Iterable[str | None], prefix: str, n: int, *, below: int | None = None,
                 first: int = 1, width: int = 0) -> np.ndarray:  # fmt: skip
    """``n`` keys ``prefix`` + number following the largest existing one (``first`` when none).

    ``below`` ignores numbers from that value on: ranges the simulator keeps for injected records
    (e.g. stray residents from ``LN90000001``) are never continued.
    """
    numbers = [
        int(key[len(prefix) :])
        for key in existing
        if key and key.startswith(prefix) and key[len(prefix) :].isdigit()
    ]
    if below is not None:
        numbers = [number for number in numbers if number < below]
    start = max(numbers) + 1 if numbers else first
    values = start + np.arange(n, dtype=np.int64)
    text = np.char.zfill(values.astype(str), width) if width and n else values.astype(str)
    return np.char.add(prefix, text).astype(object)


def masked(mask: np.ndarray, values: object) -> np.ndarray:
    """``values`` where ``mask`` holds, None elsewhere (an object array for text columns)."""
    out = np.array(values, dtype=object)
    out[~np.asarray(mask, dtype=bool)] = None
    return out


@dataclass
class EntityChange:
    """Rows an advance added (new keys) and changed (existing keys, a new state or version), and
    the rows the medium serves on top of what it served before (what ``source_counts`` counts):
    a new or changed row of a table (the watermark extract reads a changed row again), a file's
    rows (every version), an export's rows (a full export serves every row again)."""

    added: int = 0
    changed: int = 0
    served: int = 0


@dataclass
class ChangeLog:
    """Per entity of one system: what the advance did to it."""

    entities: dict[str, EntityChange] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # files delivered, for file-based systems

    def record(
        self, entity: str, *, added: int = 0, changed: int = 0, served: int | None = None
    ) -> None:
        """Count rows for ``entity``; ``served`` defaults to the rows added and changed."""
        entry = self.entities.setdefault(entity, EntityChange())
        entry.added += int(added)
        entry.changed += int(changed)
        entry.served += int(added + changed if served is None else served)

    def merge(self, other: ChangeLog) -> None:
        for entity, change in other.entities.items():
            self.record(entity, added=change.added, changed=change.changed, served=change.served)
        self.files.extend(other.files)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            entity: {"added": change.added, "changed": change.changed}
            for entity, change in sorted(self.entities.items())
        }


@dataclass
class StoreDay:
    """One day of a system kept in a SQLite store: its stream, its scale and what it changed.

    Each system's day adds what only it needs; ``stamp_text`` is how the system writes a time."""

    conn: sqlite3.Connection
    rng: np.random.Generator
    day: date
    scale: float
    log: ChangeLog = field(default_factory=ChangeLog)

    @property
    def text(self) -> str:
        return self.day.isoformat()

    def stamp_text(self, times: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def stamps(self, n: int) -> np.ndarray:
        """Times during office hours on the day, in order, as the system writes them."""
        return self.stamp_text(np.sort(office_times(self.rng, np.full(n, d64(self.day)))))

    def next_keys(self, table: str, key: str, prefix: str, n: int, below: str = "") -> np.ndarray:
        """The next ``n`` keys of ``table`` after its largest (below ``below`` when given)."""
        sql = f'SELECT MAX("{key}") FROM "{table}"' + (f' WHERE "{key}" < ?' if below else "")
        (largest,) = self.conn.execute(sql, [below] if below else []).fetchone()
        return next_numbers([largest], prefix, n)


# --- SQLite stores ------------------------------------------------------------------------------


def read_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """A query's rows as a frame (text stays text; integers stay integers)."""
    cursor = conn.execute(sql, tuple(params))
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object)


def _python_values(frame: pd.DataFrame) -> Iterable[tuple[Any, ...]]:
    """Rows as tuples of plain Python values, NaN/NaT as None (what sqlite3 binds)."""
    values = frame.astype(object).where(frame.notna(), None)
    for row in values.itertuples(index=False, name=None):
        yield tuple(v.item() if isinstance(v, np.generic) else v for v in row)


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def insert_rows(conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> int:
    """Append rows (the frame holds every column of the table)."""
    if frame.empty:
        return 0
    columns = table_columns(conn, table)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _python_values(frame[columns])
    )
    return len(frame)


def update_rows(conn: sqlite3.Connection, table: str, key: str, frame: pd.DataFrame) -> int:
    """Rewrite the frame's columns of the rows with its keys, in place (rowids stay put)."""
    if frame.empty:
        return 0
    columns = [c for c in frame.columns if c != key]
    assignments = ", ".join(f'"{c}" = ?' for c in columns)
    conn.executemany(
        f'UPDATE "{table}" SET {assignments} WHERE "{key}" = ?',
        _python_values(frame[[*columns, key]]),
    )
    return len(frame)


def count_between(conn: sqlite3.Connection, table: str, column: str, low: str, high: str) -> int:
    """Rows whose ``column`` lies in [low, high) (text order is time order)."""
    sql = f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" >= ? AND "{column}" < ?'
    return int(conn.execute(sql, (low, high)).fetchone()[0])


def sample_recent(
    conn: sqlite3.Connection,
    rng: np.random.Generator,
    table: str,
    since: str,
    n: int,
    columns: Sequence[str],
) -> pd.DataFrame:
    """``n`` random rows (with repeats) among those written since ``since`` (by ``updated_at``).

    Rows are appended in time order, so the rowids of the recent ones form a range: draws from it
    follow the recent mix of who and where without reading the whole table.
    """
    if n == 0:
        return pd.DataFrame(columns=list(columns), dtype=object)
    low, high = conn.execute(
        f'SELECT MIN(rowid), MAX(rowid) FROM "{table}" WHERE updated_at >= ?', (since,)
    ).fetchone()
    if low is None:
        low, high = conn.execute(f'SELECT MIN(rowid), MAX(rowid) FROM "{table}"').fetchone()
    if low is None:
        return pd.DataFrame(columns=list(columns), dtype=object)
    wanted = rng.integers(int(low), int(high) + 1, n)
    found = rows_by_rowid(conn, table, np.unique(wanted), columns)
    present = wanted[np.isin(wanted, found.index.to_numpy())]
    return found.loc[present, list(columns)].reset_index(drop=True)


def rows_by_rowid(
    conn: sqlite3.Connection, table: str, rowids: np.ndarray, columns: Sequence[str]
) -> pd.DataFrame:
    """The rows with these rowids, indexed by rowid (in chunks: SQLite caps bound parameters)."""
    names = ", ".join(f'"{c}"' for c in columns)
    parts = []
    for lo in range(0, len(rowids), 500):
        chunk = [int(r) for r in rowids[lo : lo + 500]]
        parts.append(
            read_rows(
                conn,
                f'SELECT rowid AS _rowid, {names} FROM "{table}" '
                f"WHERE rowid IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
        )
    found = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["_rowid", *columns], dtype=object)
    )
    found.index = pd.Index(found.pop("_rowid").to_numpy(dtype=np.int64))
    return found

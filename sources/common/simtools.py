"""Small vectorised helpers the simulators share: dates, timestamps, progress, sqlite output."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from tqdm import tqdm

T = TypeVar("T")

DAY = np.timedelta64(1, "D")
SECOND = np.timedelta64(1, "s")


@dataclass
class SystemResult:
    """What a simulator hands back: rows served, dirt injected, and its clean state for truth."""

    counts: dict[str, int]
    injected: dict[str, Any]
    state: dict[str, pd.DataFrame] = field(default_factory=dict)


def d64(value: date | str | np.datetime64) -> np.datetime64:
    return np.datetime64(str(value), "D")


def scaled(expected: float, scale: float, minimum: int = 0) -> int:
    return max(minimum, round(expected * scale))


def random_dates(
    rng: np.random.Generator, lo: date | str | np.datetime64, hi: date | str | np.datetime64, n: int
) -> np.ndarray:
    """Uniform dates in [lo, hi]."""
    lo64, hi64 = d64(lo), d64(hi)
    span = int((hi64 - lo64) / DAY) + 1
    return lo64 + rng.integers(0, span, n) * DAY


def office_times(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """A timestamp (seconds) during office hours, 08:30-17:30, on each day."""
    seconds = rng.integers(8 * 3600 + 1800, 17 * 3600 + 1800, len(days))
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[s]") + seconds * SECOND


def date_text(values: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD, None for NaT."""
    arr = np.asarray(values, dtype="datetime64[D]")
    out = np.datetime_as_string(arr, unit="D").astype(object)
    out[np.isnat(arr)] = None
    return out


def iso_local(values: np.ndarray) -> np.ndarray:
    """ISO-8601 with seconds and the +08:00 offset (the timestamps are China local time)."""
    arr = np.asarray(values, dtype="datetime64[s]")
    return np.char.add(np.datetime_as_string(arr, unit="s"), "+08:00").astype(object)


def sql_local(values: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS`` local time."""
    arr = np.asarray(values, dtype="datetime64[s]")
    if arr.size == 0:  # numpy's char.replace cannot size an empty result
        return np.array([], dtype=object)
    return np.char.replace(np.datetime_as_string(arr, unit="s"), "T", " ").astype(object)


def month_ends(start: date, end: date) -> list[date]:
    """Every month end in [start, end]."""
    ends = pd.date_range(start, end, freq="ME")
    return [d.date() for d in ends]


def progress(items: Iterable[T], desc: str, enabled: bool, total: int | None = None) -> Iterator[T]:
    yield from tqdm(items, desc=desc, disable=not enabled, total=total, leave=False)


def write_sqlite_table(
    conn: sqlite3.Connection,
    table: str,
    frame: pd.DataFrame,
    column_types: dict[str, str],
    key: str,
) -> None:
    """Create ``table`` with the given column types and an index on (updated_at, key)."""
    cols = ", ".join(f'"{c}" {column_types.get(c, "TEXT")}' for c in frame.columns)
    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
    conn.execute(f'CREATE TABLE "{table}" ({cols}, PRIMARY KEY ("{key}"))')
    placeholders = ", ".join("?" for _ in frame.columns)
    records = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    conn.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', records)
    conn.execute(f'CREATE INDEX "ix_{table}_updated" ON "{table}" ("updated_at", "{key}")')


def pick(
    rng: np.random.Generator,
    options: Sequence[str],
    n: int,
    p: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    arr = np.array(list(options), dtype=object)
    probs = None if p is None else np.asarray(p, dtype=float) / np.sum(p)
    return arr[rng.choice(len(arr), size=n, p=probs)]


def prefixed_ids(prefix: str, first: int, n: int, step: int = 1) -> np.ndarray:
    """``prefix`` followed by consecutive numbers (e.g. ``SA1000000000``), as text."""
    numbers = first + step * np.arange(n, dtype=np.int64)
    return np.char.add(prefix, numbers.astype(str)).astype(object)

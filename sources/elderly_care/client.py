"""Extract client for the elderly-care database (any SQLAlchemy URL; SQLite by default)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa

from sources.common.reach import RETRY_BUDGET_S, mark_down, refuse_if_down
from sources.common.registry import entities

SOURCE = "elderly_care"

# Every table served, with its business key (the tie-breaker after updated_at), from the registry.
TABLE_KEYS: dict[str, str] = {table: str(entity.key) for table, entity in entities(SOURCE).items()}


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def value_as_text(value: Any) -> str | None:
    """The rule for one value: text as it is, integral floats without '.0', null kept."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_column(values: tuple[Any, ...]) -> np.ndarray:
    """One column of a chunk as text, None kept: converted by Arrow when the column holds text,
    integers or nothing (what a table of the system holds), value by value otherwise, so that
    either way the text is `value_as_text`'s."""
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        array = None
    if array is not None and (pa.types.is_integer(array.type) or pa.types.is_null(array.type)):
        array = array.cast(pa.string())
    if array is None or not pa.types.is_string(array.type):
        return np.array([value_as_text(v) for v in values], dtype=object)
    return array.to_numpy(zero_copy_only=False)


class ElderlyCareClient:
    """Reads a table's window ``(updated_since, updated_until]`` in bounded-memory chunks."""

    def __init__(
        self, url: str, chunk_size: int = 50_000, retry_budget_s: float = RETRY_BUDGET_S
    ) -> None:
        self.url = url
        self.chunk_size = chunk_size
        self.retry_budget_s = retry_budget_s
        self.engine = sa.create_engine(url)

    def _connect(self) -> sa.Connection:
        """A connection; a database that is not there fails at once, a refused one is retried
        within the budget, both as ``source elderly_care unreachable: reason``."""
        refuse_if_down(SOURCE, self.url)
        database = self.engine.url.database
        is_file_db = self.engine.url.get_backend_name() == "sqlite" and database not in (
            None,
            "",
            ":memory:",
        )
        if is_file_db and not Path(str(database)).is_file():
            # SQLite would create an empty file there: say what is missing instead.
            raise mark_down(
                SOURCE, self.url, f"no database file at {database}", self.retry_budget_s
            )
        began, wait = time.monotonic(), 0.5
        while True:
            try:
                return self.engine.connect()
            except sa.exc.OperationalError as error:
                spent = time.monotonic() - began
                if spent + wait > self.retry_budget_s:
                    reason = str(error.orig or error).splitlines()[0]
                    raise mark_down(
                        SOURCE,
                        self.url,
                        f"{self.engine.url.render_as_string()}: {reason} "
                        f"(retried for {spent:.1f} s, budget {self.retry_budget_s:.0f} s)",
                        self.retry_budget_s,
                    ) from error
                time.sleep(wait)
                wait = min(wait * 2, 15.0)

    def tables(self) -> list[str]:
        with self._connect() as conn:
            present = set(sa.inspect(conn).get_table_names())
        return [t for t in TABLE_KEYS if t in present]

    def read_window(
        self, table: str, updated_since: str | None, updated_until: str
    ) -> Iterator[pd.DataFrame]:
        """Yield chunks ordered by (updated_at, key), every value as text or None."""
        if table not in TABLE_KEYS:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(TABLE_KEYS)}")
        with self._connect() as conn:
            meta = sa.MetaData()
            tbl = sa.Table(table, meta, autoload_with=conn)
            query = sa.select(tbl).where(tbl.c.updated_at <= updated_until)
            if updated_since:
                query = query.where(tbl.c.updated_at > updated_since)
            query = query.order_by(tbl.c.updated_at, tbl.c[TABLE_KEYS[table]])
            result = conn.execution_options(stream_results=True, yield_per=self.chunk_size).execute(
                query
            )
            columns = list(result.keys())
            for part in result.partitions(self.chunk_size):
                # Each chunk turns into columns at once, each column into text at once.
                by_column = map(_text_column, zip(*part, strict=True))
                yield pd.DataFrame(
                    dict(zip(columns, by_column, strict=True)), columns=columns, dtype=object
                )

    def close(self) -> None:
        self.engine.dispose()

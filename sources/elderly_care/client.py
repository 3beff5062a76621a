"""Extract client for the elderly-care database (any SQLAlchemy URL; SQLite by default)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

# Every table served, with its business key (the tie-breaker after updated_at).
TABLE_KEYS = {
    "institutions": "institution_id",
    "bed_capacity_changes": "change_id",
    "institution_ratings": "rating_id",
    "community_facilities": "facility_id",
    "facility_events": "event_id",
    "service_organizations": "org_id",
    "older_residents": "resident_id",
    "home_service_orders": "order_id",
    "care_visits": "visit_id",
    "smart_tech_trainings": "attendance_id",
    "care_staff": "staff_id",
    "rotation_trainings": "training_id",
}


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ElderlyCareClient:
    """Reads a table's window ``(updated_since, updated_until]`` in bounded-memory chunks."""

    def __init__(self, url: str, chunk_size: int = 50_000) -> None:
        self.url = url
        self.chunk_size = chunk_size
        self.engine = sa.create_engine(url)

    def tables(self) -> list[str]:
        present = set(sa.inspect(self.engine).get_table_names())
        return [t for t in TABLE_KEYS if t in present]

    def read_window(
        self, table: str, updated_since: str | None, updated_until: str
    ) -> Iterator[pd.DataFrame]:
        """Yield chunks ordered by (updated_at, key), every value as text or None."""
        if table not in TABLE_KEYS:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(TABLE_KEYS)}")
        meta = sa.MetaData()
        tbl = sa.Table(table, meta, autoload_with=self.engine)
        query = sa.select(tbl).where(tbl.c.updated_at <= updated_until)
        if updated_since:
            query = query.where(tbl.c.updated_at > updated_since)
        query = query.order_by(tbl.c.updated_at, tbl.c[TABLE_KEYS[table]])
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=self.chunk_size).execute(
                query
            )
            columns = list(result.keys())
            for part in result.partitions(self.chunk_size):
                yield pd.DataFrame(
                    [[_text(v) for v in row] for row in part], columns=columns, dtype=object
                )

    def close(self) -> None:
        self.engine.dispose()

"""Month-end KPI snapshots: what was reported for a month, kept as it was reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

_SQL = Path(__file__).with_name("sql") / "month_end_snapshot.sql"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    rows: int
    newly_written: bool


def snapshot_path(history_dir: Path, month: date) -> Path:
    return history_dir / "kpi_progress" / f"period_month={month:%Y-%m}.parquet"


def snapshot_month(serving: Path, history_dir: Path, month: date, run_id: str) -> Snapshot:
    """Write the month's rows of kpi_progress once; an existing snapshot is never rewritten."""
    target = snapshot_path(history_dir, month)
    with duckdb.connect(str(serving), read_only=True) as connection:
        if target.exists():
            row = connection.execute(
                "select count(*) from read_parquet(?)", [str(target)]
            ).fetchone()
            return Snapshot(target, int(row[0]) if row else 0, newly_written=False)
        relation = connection.sql(
            _SQL.read_text(encoding="utf-8"),
            params={"period_month": month.isoformat(), "run_id": run_id},
        )
        rows = len(relation)
        if rows == 0:
            raise ValueError(f"no KPI figures for {month:%Y-%m} in {serving}")
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.tmp")
        relation.write_parquet(str(staged))
        staged.replace(target)
    return Snapshot(target, rows, newly_written=True)

"""Write-audit-publish: the serving file is replaced atomically, never written in place.

Readers (Superset, exports) open ``serving/minzheng.duckdb`` read-only. Publish builds a complete
new file beside it, then renames it over the old one, keeping the old one for rollback.

On a night with held raw batches (``minzheng.holds``) the new file keeps, for what is downstream
of a held entity, the figures of the file it replaces: those tables whole, or, in tables with a
``kpi_code``, the rows of the held KPIs; ``kpi.kpi_progress`` marks them held, since when and why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from minzheng import settings
from minzheng.holds import BlastRadius

# The schemas that readers may see; staging (with pseudonymised persons) stays in the build.
SERVING_SCHEMAS = ("conformed", "marts", "kpi")
KPI_PROGRESS = "kpi.kpi_progress"
_HELD_KPI_PROGRESS_SQL = Path(__file__).with_name("sql") / "held_kpi_progress.sql"
_HOLD_COLUMNS = ("figures_status", "held_since", "held_reason")


@dataclass(frozen=True)
class PublishResult:
    serving_file: Path
    previous_file: Path | None
    tables: dict[str, int]
    # Serving relations whose figures (all, or the held KPIs' rows) were kept from the last file.
    held_relations: tuple[str, ...] = ()
    held_kpis: tuple[str, ...] = ()


def previous_path(serving: Path) -> Path:
    return serving.with_name(f"{serving.stem}.previous{serving.suffix}")


def publish(warehouse: Path, serving: Path, held: BlastRadius | None = None) -> PublishResult:
    serving.parent.mkdir(parents=True, exist_ok=True)
    staged = serving.with_name(f".{serving.name}.{os.getpid()}.new")
    staged.unlink(missing_ok=True)
    tables: dict[str, int] = {}
    try:
        with duckdb.connect(
            str(staged), config={"memory_limit": settings.duckdb_memory_limit()}
        ) as target:
            target.execute("attach ? as build (read_only)", [str(warehouse)])
            keeping = held is not None and not held.is_empty and serving.exists()
            if keeping:
                target.execute("attach ? as published (read_only)", [str(serving)])
            kept: list[str] = []
            relations = target.execute(
                """
                select table_schema, table_name
                from information_schema.tables
                where table_catalog = 'build' and table_schema in ?
                order by table_schema, table_name
                """,
                [list(SERVING_SCHEMAS)],
            ).fetchall()
            if not relations:
                raise RuntimeError(f"{warehouse} holds none of the schemas {SERVING_SCHEMAS}")
            for schema, name in relations:
                target.execute(f'create schema if not exists "{schema}"')
                relation = f"{schema}.{name}"
                if (
                    keeping
                    and held is not None
                    and relation in held.relations
                    and _keep_published(target, schema, name, held)
                ):
                    kept.append(relation)
                    row = target.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                    tables[relation] = int(row[0]) if row else 0
                    continue
                target.execute(
                    f'create table "{schema}"."{name}" as select * from build."{schema}"."{name}"'
                )
                row = target.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                tables[f"{schema}.{name}"] = int(row[0]) if row else 0
            target.execute("detach build")
            if keeping:
                target.execute("detach published")
            target.execute("checkpoint")
        previous = _keep_previous(serving)
        os.replace(staged, serving)
    finally:
        staged.unlink(missing_ok=True)
    return PublishResult(
        serving,
        previous,
        tables,
        held_relations=tuple(kept),
        held_kpis=tuple(sorted(held.kpis)) if held is not None and kept else (),
    )


def _utc(moment: str) -> datetime:
    """A hold's ISO time as naive UTC, as kpi_progress.held_since holds it."""
    return datetime.fromisoformat(moment).astimezone(UTC).replace(tzinfo=None)


def _columns(
    connection: duckdb.DuckDBPyConnection, catalog: str, schema: str, name: str
) -> set[str]:
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ?",
        [catalog, schema, name],
    ).fetchall()
    return {column for (column,) in rows}


def _keep_published(
    target: duckdb.DuckDBPyConnection, schema: str, name: str, held: BlastRadius
) -> bool:
    """Write a held relation from the last published file; False when that file lacks it."""
    published_columns = _columns(target, "published", schema, name)
    if not published_columns:
        return False
    quoted = f'"{schema}"."{name}"'
    if f"{schema}.{name}" == KPI_PROGRESS:
        target.execute(
            "create temporary table held_kpis "
            "(kpi_code varchar, held_since timestamp, held_reason varchar)"
        )
        target.executemany(
            "insert into held_kpis values (?, ?, ?)",
            [
                (
                    code,
                    min(_utc(hold.held_since) for hold in holds),
                    "; ".join(sorted({hold.reason() for hold in holds})),
                )
                for code, holds in sorted(held.kpis.items())
            ],
        )
        has_hold_columns = set(_HOLD_COLUMNS) <= published_columns
        query = _HELD_KPI_PROGRESS_SQL.read_text(encoding="utf-8").format(
            published_columns=(
                "published_rows.* exclude (figures_status, held_since, held_reason)"
                if has_hold_columns
                else "published_rows.*"
            ),
            prior_held_since="published_rows.held_since" if has_hold_columns else "null",
        )
        target.execute(f"create table {quoted} as {query}")
        target.execute("drop table held_kpis")
    elif "kpi_code" in published_columns and "kpi_code" in _columns(target, "build", schema, name):
        # Rows per KPI: the held KPIs' rows from the last file, the others from the build.
        target.execute(
            f"create table {quoted} as "
            f"select * from build.{quoted} where kpi_code not in ? "
            f"union all by name "
            f"select * from published.{quoted} where kpi_code in ?",
            [list(held.kpis), list(held.kpis)],
        )
    else:
        target.execute(f"create table {quoted} as select * from published.{quoted}")
    return True


def rollback(serving: Path) -> Path:
    """Put the previous serving file back; the one it replaces becomes the previous."""
    previous = previous_path(serving)
    if not previous.exists():
        raise FileNotFoundError(f"no previous serving file at {previous}")
    swap = serving.with_name(f".{serving.name}.rollback")
    swap.unlink(missing_ok=True)
    if serving.exists():
        os.link(serving, swap)
    os.replace(previous, serving)
    if swap.exists():
        os.replace(swap, previous)
    return serving


def _keep_previous(serving: Path) -> Path | None:
    """Hard-link the current file as the previous one, so the serving path never disappears."""
    if not serving.exists():
        return None
    previous = previous_path(serving)
    link = serving.with_name(f".{previous.name}.link")
    link.unlink(missing_ok=True)
    os.link(serving, link)
    os.replace(link, previous)
    return previous

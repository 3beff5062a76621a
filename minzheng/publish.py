"""Write-audit-publish: the serving file is replaced atomically, never written in place.

Readers (Superset, exports) open ``serving/minzheng.duckdb`` read-only. Publish builds a complete
new file beside it, then renames it over the old one. Every published file says which run
published it and when (``serving.publication``), and the last ``KEPT_SERVING_FILES`` stay in
``serving/history/`` (hard links, named by time and run) for ``rollback`` to step back through.
A night whose figures equal the served ones publishes nothing: the serving file stays as it is.

On a night with held raw batches (``minzheng.holds``) the new file keeps, for what is downstream
of a held entity, the figures of the file it replaces: those tables whole, or, in tables with a
``kpi_code``, the rows of the held KPIs; ``kpi.kpi_progress`` marks them held, since when and why.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from minzheng import settings
from minzheng.holds import BlastRadius
from minzheng.parity import table_digest

# The schemas that readers may see; staging (with pseudonymised persons) stays in the build.
SERVING_SCHEMAS = ("conformed", "marts", "kpi")
KPI_PROGRESS = "kpi.kpi_progress"
_HELD_KPI_PROGRESS_SQL = Path(__file__).with_name("sql") / "held_kpi_progress.sql"
_HOLD_COLUMNS = ("figures_status", "held_since", "held_reason")
# Which run published the file, when, and a digest of its figures: one row.
PUBLICATION = "serving.publication"
# A week of nights to step back through.
KEPT_SERVING_FILES = 7


@dataclass(frozen=True)
class Publication:
    run_id: str
    published_at: datetime
    figures_digest: str

    def describe(self) -> str:
        return f"run {self.run_id}, published {self.published_at:%Y-%m-%d %H:%M:%S} UTC"


@dataclass(frozen=True)
class PublishResult:
    serving_file: Path
    # What is served now: this run's publication, or the one kept when nothing changed.
    served: Publication
    # The publication this one replaced (None for the first, and when nothing changed).
    replaced: Publication | None
    tables: dict[str, int]
    # Serving relations whose figures (all, or the held KPIs' rows) were kept from the last file.
    held_relations: tuple[str, ...] = ()
    held_kpis: tuple[str, ...] = ()
    # The night's figures equal the served ones: the serving file was left as it was.
    unchanged: bool = False


def publication(database: Path) -> Publication | None:
    """Who published a serving file and when; None for a file from before the record was kept."""
    if not database.exists():
        return None
    schema, name = PUBLICATION.split(".")
    with duckdb.connect(str(database), read_only=True) as connection:
        recorded = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()
        if not recorded or not recorded[0]:
            return None
        row = connection.execute(
            f"select run_id, published_at, figures_digest from {PUBLICATION}"
        ).fetchone()
    return Publication(str(row[0]), row[1], str(row[2])) if row else None


def history_dir(serving: Path) -> Path:
    return serving.parent / "history"


def kept_files(serving: Path) -> list[Path]:
    """The kept serving files, oldest first (their names begin with the UTC publish time)."""
    return sorted(history_dir(serving).glob(f"{serving.stem}.*{serving.suffix}"))


def publish(
    warehouse: Path, serving: Path, held: BlastRadius | None = None, *, run_id: str
) -> PublishResult:
    serving.parent.mkdir(parents=True, exist_ok=True)
    staged = serving.with_name(f".{serving.name}.{os.getpid()}.new")
    staged.unlink(missing_ok=True)
    tables: dict[str, int] = {}
    served = publication(serving)
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
            digest = _figures_digest(target, sorted(tables))
            if served is not None and served.figures_digest == digest:
                return PublishResult(serving, served, None, tables, unchanged=True)
            now = Publication(run_id, datetime.now(UTC).replace(tzinfo=None), digest)
            target.execute("create schema serving")
            target.execute(
                f"create table {PUBLICATION} as select ? as run_id, "
                "cast(? as timestamp) as published_at, ? as figures_digest",
                [now.run_id, now.published_at, now.figures_digest],
            )
            target.execute("checkpoint")
        _keep_in_history(staged, serving, now)
        os.replace(staged, serving)
    finally:
        staged.unlink(missing_ok=True)
    return PublishResult(
        serving,
        now,
        served,
        tables,
        held_relations=tuple(kept),
        held_kpis=tuple(sorted(held.kpis)) if held is not None and kept else (),
    )


def _figures_digest(connection: duckdb.DuckDBPyConnection, relations: list[str]) -> str:
    """One digest of every served relation's name, columns and rows (in any order)."""
    digest = hashlib.sha256()
    for relation in relations:
        digest.update(f"{relation}\x1f{table_digest(connection, relation)}\x1e".encode())
    return digest.hexdigest()


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


@dataclass(frozen=True)
class Rollback:
    served: Publication
    replaced: Publication


class NothingToRollBackTo(Exception):
    """No kept serving file older than the one served."""


def rollback(serving: Path) -> Rollback:
    """Serve the kept file published before the one served now; the newer ones stay kept."""
    current = publication(serving)
    if current is None:
        raise NothingToRollBackTo(f"{serving} does not say which run published it")
    kept = kept_files(serving)
    older = [
        (path, record)
        for path in kept
        if (record := publication(path)) is not None and record.published_at < current.published_at
    ]
    if not older:
        raise NothingToRollBackTo(
            f"the file served ({current.describe()}) is the oldest of the {len(kept)} kept "
            f"in {history_dir(serving)}"
        )
    path, record = older[-1]
    _link_over(path, serving)
    return Rollback(served=record, replaced=current)


def _keep_in_history(staged: Path, serving: Path, published: Publication) -> None:
    """Link the new file into the history, and let the oldest beyond the kept number go."""
    history = history_dir(serving)
    history.mkdir(parents=True, exist_ok=True)
    name = f"{serving.stem}.{published.published_at:%Y%m%dT%H%M%S.%f}Z.{published.run_id}"
    _link_over(staged, history / f"{name}{serving.suffix}")
    for old in kept_files(serving)[:-KEPT_SERVING_FILES]:
        old.unlink(missing_ok=True)


def _link_over(source: Path, target: Path) -> None:
    """Make target a hard link of source in one rename: the target path never disappears."""
    link = target.with_name(f".{target.name}.link")
    link.unlink(missing_ok=True)
    os.link(source, link)
    os.replace(link, target)

"""What a run did: rows per layer, KPI statuses per action line, where the outputs are."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb

from minzheng.raw_zone import RawZone
from minzheng.settings import Paths, pii_key
from minzheng.warehouse_plugin import register_udfs

_KPI_SQL = Path(__file__).with_name("sql") / "run_summary_kpi.sql"
_LAYER_SCHEMAS = ("staging", "quarantine", "conformed", "marts", "kpi")


@dataclass
class RunOutcome:
    run_id: str
    success: bool
    published: bool
    failed_checks: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)


def source_rows(paths: Paths) -> int | None:
    counts_file = paths.sources / "_bookkeeping" / "source_counts.json"
    if not counts_file.exists():
        return None
    counts: dict[str, dict[str, int]] = json.loads(counts_file.read_text(encoding="utf-8"))
    return sum(sum(entities.values()) for entities in counts.values())


def raw_rows(paths: Paths) -> int:
    zone = RawZone(paths.raw)
    return sum(
        manifest.row_count
        for entity_dir in sorted(paths.raw.glob("*/*"))
        if not entity_dir.parent.name.startswith("_")
        for manifest in zone.manifests(entity_dir.parent.name, entity_dir.name)
    )


def layer_rows(warehouse: Path) -> dict[str, int]:
    rows = dict.fromkeys(_LAYER_SCHEMAS, 0)
    if not warehouse.exists():
        return rows
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        # Staging views pseudonymise on read: they need the warehouse's UDF.
        register_udfs(connection, pii_key())
        relations = connection.execute(
            # Base staging views hold every version; the stg_ views are what was staged.
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ? and table_name not like 'base\\_%' escape '\\'",
            [list(_LAYER_SCHEMAS)],
        ).fetchall()
        for schema, name in relations:
            count = connection.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            rows[schema] += int(count[0]) if count else 0
    return rows


def quarantine_rows(warehouse: Path) -> dict[str, int]:
    """Rows held back by a row-level contract, per source entity."""
    if not warehouse.exists():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'quarantine'"
        ).fetchall()
        counts = {}
        for (name,) in tables:
            row = connection.execute(f'select count(*) from quarantine."{name}"').fetchone()
            counts[name.removeprefix("quarantine_").replace("__", ".")] = int(row[0]) if row else 0
    return counts


def print_summary(paths: Paths, outcome: RunOutcome) -> None:
    echo = click.echo
    echo("")
    echo(f"run {outcome.run_id}: {'succeeded' if outcome.success else 'FAILED'}")
    for check in outcome.failed_checks:
        echo(f"  blocking check failed: {check}")
    for step in outcome.failed_steps:
        echo(f"  step failed: {step}")
    if not outcome.published:
        echo("  nothing was published: the serving file is unchanged")
    echo("rows per layer:")
    sources = source_rows(paths)
    echo(
        f"  source systems  {sources:>12,}"
        if sources is not None
        else "  source systems  (unknown)"
    )
    echo(f"  raw             {raw_rows(paths):>12,}")
    for schema, count in layer_rows(paths.warehouse).items():
        echo(f"  {schema:<15} {count:>12,}")
    quarantined = {
        entity: rows for entity, rows in quarantine_rows(paths.warehouse).items() if rows
    }
    if quarantined:
        echo("quarantined rows (row-level contract broken; see the quarantine schema):")
        for entity, rows in sorted(quarantined.items()):
            echo(f"  {entity:<45} {rows:>8,}")
    if paths.serving.exists():
        with duckdb.connect(str(paths.serving), read_only=True) as connection:
            statuses = connection.execute(_KPI_SQL.read_text(encoding="utf-8")).fetchall()
        if statuses:
            echo(f"KPI status at city level, {statuses[0][6]:%Y-%m}:")
            echo("  line  KPIs  达标  序时达标  滞后  监测")
            for line, kpis, met, on_pace, behind, monitored, _ in statuses:
                echo(f"  {line:<4}  {kpis:>4}  {met:>4}  {on_pace:>8}  {behind:>4}  {monitored:>4}")
    echo(f"serving file: {paths.serving}")
    exports = (
        sorted(p for p in paths.exports.glob("*Q*") if p.is_dir()) if paths.exports.exists() else []
    )
    if exports:
        echo(f"export:       {exports[-1]}")

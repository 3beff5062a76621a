"""What a run did: rows per layer, where each landed row went, KPI statuses, where outputs are."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb

from minzheng.holds import held_manifests
from minzheng.raw_zone import RawZone
from minzheng.settings import Paths, city_profile_dir, pii_key
from minzheng.stopping import NOT_STARTED
from minzheng.warehouse_plugin import register_udfs

_KPI_SQL = Path(__file__).with_name("sql") / "run_summary_kpi.sql"
_UNMEASURED_SQL = Path(__file__).with_name("sql") / "run_summary_unmeasured.sql"
_HELD_SQL = Path(__file__).with_name("sql") / "run_summary_held.sql"
_LAYER_SCHEMAS = ("staging", "quarantine", "conformed", "marts", "kpi")
# Built by dbt_project/models/audit: one row per raw batch, and the same summed per entity.
_BATCH_RECONCILIATION = "audit.audit_batch_reconciliation"
_ENTITY_RECONCILIATION = "audit.audit_entity_reconciliation"
# Unreconciled batches named in the summary and in check metadata (the count is always given).
_BATCHES_NAMED = 10


@dataclass
class RunOutcome:
    run_id: str
    success: bool
    published: bool
    failed_checks: list[str] = field(default_factory=list)
    # (step, why it failed: the entity's source and reason, the file, the error)
    failed_steps: list[tuple[str, str]] = field(default_factory=list)
    # Held KPIs of the latest quarter, when the night wrote no export because of them.
    export_held: list[str] = field(default_factory=list)
    # What tonight's extracts did (from their materializations), beside the zone's totals.
    landed_rows: int = 0
    landed_batches: int = 0
    landed_batch_ids: list[str] = field(default_factory=list)
    quarantined_files: int = 0
    # The warehouse was built by this run: its figures are this run's, even when a check failed.
    built: bool = False
    exported: str | None = None
    # Which run's publication is served after this run, and whether this run left it as it was.
    served: str = ""
    serving_unchanged: bool = False
    # The signal that stopped the run between steps (SIGINT, SIGTERM), if one did.
    stopped: str | None = None
    elapsed_s: float = 0.0
    log_file: Path | None = None
    alert_log: Path | None = None


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


# The row-level rule of a re-sent record whose content differs (dbt_project/macros/quarantine.sql).
CONFLICTING_REDELIVERY = "conflicting_redelivery"


def conflicting_redeliveries(warehouse: Path) -> dict[str, int]:
    """Quarantined re-sends per source entity: same key and version as a landed row, other
    content."""
    if not warehouse.exists():
        return {}
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'quarantine'"
        ).fetchall()
        for (name,) in tables:
            row = connection.execute(
                f'select count(*) from quarantine."{name}" where quarantine_rule = ?',
                [CONFLICTING_REDELIVERY],
            ).fetchone()
            if row and row[0]:
                counts[name.removeprefix("quarantine_").replace("__", ".")] = int(row[0])
    return counts


@dataclass(frozen=True)
class EntityReconciliation:
    """Where the rows of one source entity went (summed over its raw batches)."""

    source: str
    entity: str
    batches: int
    unreconciled_batches: int
    landed_rows: int
    raw_rows: int
    staged_rows: int
    quarantined_rows: int
    superseded_rows: int
    redelivered_rows: int = 0
    # Rows of batches held back whole for breaking the source contract (minzheng.holds): landed,
    # kept in the raw zone's quarantine, never read.
    held_rows: int = 0


@dataclass(frozen=True)
class Reconciliation:
    """Per raw batch: rows landed (manifests) = rows the warehouse read (raw) = staged +
    quarantined + superseded + redelivered. The second equality is the dbt test on the audit
    models; the first compares the manifests with what dbt read, batch by batch."""

    entities: list[EntityReconciliation]
    # "source.entity batch: ..." for batches whose rows do not add up (dbt audit).
    unreconciled: list[str]
    # "source.entity batch: ..." for batches whose manifest and raw rows differ.
    landed_not_read: list[str]

    @property
    def is_reconciled(self) -> bool:
        return not self.unreconciled and not self.landed_not_read

    def total(self, figure: str) -> int:
        return sum(int(getattr(entity, figure)) for entity in self.entities)

    def metadata(self) -> dict[str, object]:
        figures: dict[str, object] = {
            figure: self.total(figure)
            for figure in (
                "batches",
                "landed_rows",
                "raw_rows",
                "staged_rows",
                "quarantined_rows",
                "superseded_rows",
                "redelivered_rows",
                "held_rows",
            )
        }
        figures["unreconciled_batches"] = self.total("unreconciled_batches")
        figures["batches_landed_not_read"] = len(self.landed_not_read)
        figures["not_reconciled"] = "\n".join(
            (self.unreconciled + self.landed_not_read)[:_BATCHES_NAMED]
        )
        return figures

    def by_entity(self) -> dict[str, dict[str, int]]:
        return {
            f"{e.source}.{e.entity}": {
                "batches": e.batches,
                "landed": e.landed_rows,
                "raw": e.raw_rows,
                "staged": e.staged_rows,
                "quarantined": e.quarantined_rows,
                "superseded": e.superseded_rows,
                "redelivered": e.redelivered_rows,
                "held": e.held_rows,
                "unreconciled_batches": e.unreconciled_batches,
            }
            for e in self.entities
        }


def landed_batch_rows(paths: Paths) -> dict[tuple[str, str, str], int]:
    """Rows per landed batch, from the manifests: (source, entity, batch id) -> rows."""
    zone = RawZone(paths.raw)
    return {
        (manifest.source, manifest.entity, manifest.batch_id): manifest.row_count
        for entity_dir in sorted(paths.raw.glob("*/*"))
        if entity_dir.is_dir() and not entity_dir.parent.name.startswith("_")
        for manifest in zone.manifests(entity_dir.parent.name, entity_dir.name)
    }


def held_batch_rows(paths: Paths) -> dict[tuple[str, str], int]:
    """Rows of the held batches per source entity (landed, then held back by the contract)."""
    zone = RawZone(paths.raw)
    rows: dict[tuple[str, str], int] = {}
    for held_dir in sorted(paths.raw.glob("_quarantine/*/*/batches")):
        source, entity = held_dir.parent.parent.name, held_dir.parent.name
        for manifest in held_manifests(zone, source, entity):
            rows[(source, entity)] = rows.get((source, entity), 0) + manifest.row_count
    return rows


def redelivered_rows(warehouse: Path, batch_ids: list[str]) -> int:
    """Rows of these batches that repeat a record already landed, as the build's audit counts."""
    if not batch_ids or not warehouse.exists():
        return 0
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        row = connection.execute(
            f"select coalesce(sum(redelivered_rows), 0) from {_BATCH_RECONCILIATION} "
            "where batch_id in ?",
            [batch_ids],
        ).fetchone()
    return int(row[0]) if row else 0


def batch_reconciliation(paths: Paths) -> Reconciliation | None:
    """The reconciliation of every raw batch, or None when the warehouse holds no audit yet."""
    if not paths.warehouse.exists():
        return None
    with duckdb.connect(str(paths.warehouse), read_only=True) as connection:
        present = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'audit' and table_name in ?",
            [[name.split(".")[1] for name in (_BATCH_RECONCILIATION, _ENTITY_RECONCILIATION)]],
        ).fetchone()
        if not present or present[0] < 2:
            return None
        batches = connection.execute(
            "select source_name, entity, batch_id, raw_rows, staged_rows, quarantined_rows, "
            f"superseded_rows, redelivered_rows, is_reconciled from {_BATCH_RECONCILIATION} "
            "order by source_name, entity, batch_id"
        ).fetchall()
        entities = connection.execute(
            "select source_name, entity, batches, unreconciled_batches, raw_rows, staged_rows, "
            f"quarantined_rows, superseded_rows, redelivered_rows from {_ENTITY_RECONCILIATION} "
            "order by source_name, entity"
        ).fetchall()
    landed = landed_batch_rows(paths)
    read = {(source, entity, batch): int(raw) for source, entity, batch, raw, *_ in batches}
    # A batch with no rows has no row in the audit: missing counts as 0 on either side.
    landed_not_read = []
    for key in sorted(landed.keys() | read.keys()):
        if landed.get(key, 0) != read.get(key, 0):
            source, entity, batch = key
            landed_not_read.append(
                f"{source}.{entity} {batch}: {landed.get(key, 0):,} rows landed, "
                f"{read.get(key, 0):,} read"
            )
    unreconciled = [
        f"{source}.{entity} {batch}: raw {raw:,} != staged {staged:,} + quarantined "
        f"{quarantined:,} + superseded {superseded:,} + redelivered {redelivered:,}"
        for source, entity, batch, raw, staged, quarantined, superseded, redelivered, ok in batches
        if not ok
    ]
    landed_by_entity: dict[tuple[str, str], int] = {}
    for (source, entity, _), rows in landed.items():
        landed_by_entity[(source, entity)] = landed_by_entity.get((source, entity), 0) + rows
    held = held_batch_rows(paths)
    for held_entity, rows in held.items():
        landed_by_entity[held_entity] = landed_by_entity.get(held_entity, 0) + rows
    audited = {(row[0], row[1]): [int(figure) for figure in row[2:]] for row in entities}
    per_entity = []
    # An entity that landed rows but has none in the audit still shows (with nothing read).
    for source, entity in sorted(audited.keys() | landed_by_entity.keys()):
        count, unreconciled_count, raw, staged, quarantined, superseded, redelivered = audited.get(
            (source, entity), [0] * 7
        )
        per_entity.append(
            EntityReconciliation(
                source=source,
                entity=entity,
                batches=count,
                unreconciled_batches=unreconciled_count,
                landed_rows=landed_by_entity.get((source, entity), 0),
                held_rows=held.get((source, entity), 0),
                raw_rows=raw,
                staged_rows=staged,
                quarantined_rows=quarantined,
                superseded_rows=superseded,
                redelivered_rows=redelivered,
            )
        )
    return Reconciliation(per_entity, unreconciled, landed_not_read)


def print_summary(paths: Paths, outcome: RunOutcome) -> None:
    """What failed and why first; then only the figures this run produced."""
    echo = click.echo
    echo("")
    status = "succeeded" if outcome.success else "FAILED"
    if outcome.stopped:
        status = f"STOPPED by {outcome.stopped}"
    echo(f"run {outcome.run_id}: {status} in {outcome.elapsed_s:.0f} s")
    not_started = [step for step, reason in outcome.failed_steps if reason.startswith(NOT_STARTED)]
    if outcome.stopped:
        echo(
            f"  the step in progress finished; steps not started: {len(not_started)}; "
            "the run lock is released"
        )
    for check in outcome.failed_checks:
        echo(f"  blocking check failed: {check}")
    by_reason: dict[str, list[str]] = {}
    for step, reason in outcome.failed_steps:
        if not reason.startswith(NOT_STARTED):
            by_reason.setdefault(reason, []).append(step)
    for reason, steps in by_reason.items():
        named = ", ".join(steps[:3]) + (f", … ({len(steps)} steps)" if len(steps) > 3 else "")
        echo(f"  failed: {reason}")
        echo(f"    in {named}")
    if not outcome.published:
        echo("  nothing was published: the serving file is unchanged")
    if outcome.alert_log is not None:
        echo(f"  alert written to {outcome.alert_log}")
    echo("tonight:")
    echo(f"  landed          {outcome.landed_rows:>12,} rows in {outcome.landed_batches:,} batches")
    echo(f"  quarantined     {outcome.quarantined_files:>12,} files")
    if outcome.built:
        redelivered = redelivered_rows(paths.warehouse, outcome.landed_batch_ids)
        echo(f"  redelivered     {redelivered:>12,} rows (records sent again unchanged)")
    echo(f"  raw zone total  {raw_rows(paths):>12,} rows")
    if outcome.success or outcome.built:
        _print_built_figures(paths)
    if outcome.serving_unchanged:
        echo(
            f"serving file: {paths.serving} (unchanged: nothing new tonight, the figures equal "
            f"those of {outcome.served})"
        )
    elif outcome.published:
        echo(f"serving file: {paths.serving} ({outcome.served})")
    else:
        echo(f"serving file: {paths.serving} (unchanged)")
    if outcome.export_held:
        echo(
            f"export:       not written tonight, {len(outcome.export_held)} KPIs of the quarter "
            "are held (`minzheng export --allow-held` lists them on the cover)"
        )
    elif outcome.exported:
        echo(f"export:       {outcome.exported}")
    if outcome.log_file is not None:
        echo(f"run log:      {outcome.log_file}")
    echo(f"city profile: {city_profile_dir()}")


def _print_built_figures(paths: Paths) -> None:
    echo = click.echo
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
    conflicting = conflicting_redeliveries(paths.warehouse)
    if conflicting:
        echo("conflicting redeliveries (same key and version, other content; quarantined):")
        for entity, rows in sorted(conflicting.items()):
            echo(f"  {entity:<45} {rows:>8,}")
    _print_reconciliation(batch_reconciliation(paths))
    if paths.serving.exists():
        with duckdb.connect(str(paths.serving), read_only=True) as connection:
            statuses = connection.execute(_KPI_SQL.read_text(encoding="utf-8")).fetchall()
        if statuses:
            echo(f"KPI status at city level, {statuses[0][6]:%Y-%m}:")
            echo("  line  KPIs  达标  序时达标  滞后  监测")
            for line, kpis, met, on_pace, behind, monitored, _ in statuses:
                echo(f"  {line:<4}  {kpis:>4}  {met:>4}  {on_pace:>8}  {behind:>4}  {monitored:>4}")
        unmeasured = unmeasured_kpis(paths.serving)
        if unmeasured:
            echo(
                f"KPIs of the {unmeasured[0][0]} plan without a measure (no figures until a "
                "kpi_measure__<code> model computes them):"
            )
            for _, kpi_code, kpi_name_zh in unmeasured:
                echo(f"  {kpi_code}  {kpi_name_zh}")
        _print_held(held_kpis(paths.serving))


def unmeasured_kpis(serving: Path) -> list[tuple[int, str, str]]:
    """(plan year, KPI, name) of each KPI of the current plan without a measure model."""
    with duckdb.connect(str(serving), read_only=True) as connection:
        rows = connection.execute(_UNMEASURED_SQL.read_text(encoding="utf-8")).fetchall()
    return [(int(year), str(code), str(name)) for year, code, name in rows]


def held_kpis(serving: Path) -> list[tuple[str, object, object, str]]:
    """(kpi, figures as of, held since, reason) of every held KPI in the serving file."""
    if not serving.exists():
        return []
    with duckdb.connect(str(serving), read_only=True) as connection:
        columns = connection.execute(
            "select count(*) from information_schema.columns "
            "where table_schema = 'kpi' and table_name = 'kpi_progress' "
            "and column_name = 'figures_status'"
        ).fetchone()
        if not columns or not columns[0]:
            return []
        return [
            (str(code), as_of, since, str(reason))
            for code, as_of, since, reason in connection.execute(
                _HELD_SQL.read_text(encoding="utf-8")
            ).fetchall()
        ]


def _print_held(held: list[tuple[str, object, object, str]]) -> None:
    if not held:
        return
    click.echo(f"KPIs held (数据暂停更新: last published figures kept): {len(held)}")
    for code, as_of, since, reason in held:
        click.echo(
            f"  {code:<5} figures of {as_of}, held since {since:%Y-%m-%d %H:%M} UTC: {reason}"
        )


def _print_reconciliation(reconciliation: Reconciliation | None) -> None:
    echo = click.echo
    if reconciliation is None:
        echo("reconciliation: not available (the warehouse has no audit tables)")
        return
    echo(
        "reconciliation per raw batch "
        "(landed = held + read, read = staged + quarantined + superseded + redelivered):"
    )
    echo(f"  {'batches':<15} {reconciliation.total('batches'):>12,}  (holding rows)")
    for label, figure in (
        ("landed", "landed_rows"),
        ("read", "raw_rows"),
        ("staged", "staged_rows"),
        ("quarantined", "quarantined_rows"),
        ("superseded", "superseded_rows"),
        ("redelivered", "redelivered_rows"),
        ("held", "held_rows"),
    ):
        echo(f"  {label:<15} {reconciliation.total(figure):>12,}")
    if reconciliation.is_reconciled:
        echo("  every batch reconciles")
        return
    problems = reconciliation.unreconciled + reconciliation.landed_not_read
    echo(f"  {len(problems):,} batches do NOT reconcile (see the audit schema):")
    for line in problems[:_BATCHES_NAMED]:
        echo(f"    {line}")

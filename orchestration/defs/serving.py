"""Publish (the atomic swap of the serving file) and the provincial export."""

from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import yaml

from minzheng import holds, settings
from minzheng.export import Quarter, export_quarter
from minzheng.history import snapshot_month
from minzheng.publish import publish
from minzheng.raw_zone import RawZone
from minzheng.run_summary import quarantine_rows
from minzheng.stopping import refuse_if_stopping
from orchestration.defs.warehouse import warehouse_models
from orchestration.lib.dbt import manifest_path


@dg.asset(
    key=dg.AssetKey(["serving", "minzheng"]),
    deps=[warehouse_models],
    group_name="serving",
    kinds={"duckdb"},
    description="The read-only serving file: conformed, marts and kpi schemas copied from the "
    "build and swapped in atomically after every blocking check passed. What depends on a held "
    "raw batch (by the dbt graph) keeps its last published figures, marked held in "
    "kpi.kpi_progress.",
)
def published_serving_file(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    refuse_if_stopping()
    paths = settings.paths()
    quarantined = quarantine_rows(paths.warehouse)
    active = holds.holds(RawZone(paths.raw))
    held = holds.blast_radius(holds.read_manifest(manifest_path()), active)
    for code, reasons in sorted(held.kpis.items()):
        context.log.warning(f"KPI {code} held: {'; '.join(h.reason() for h in reasons)}")
    result = publish(paths.warehouse, paths.serving, held, run_id=context.run.run_id)
    if result.unchanged:
        context.log.info(f"nothing new: the figures equal those of {result.served.describe()}")
    return dg.MaterializeResult(
        metadata={
            "quarantined_rows": sum(quarantined.values()),
            "quarantined_by_entity": dg.MetadataValue.json(quarantined),
            "path": dg.MetadataValue.path(str(result.serving_file)),
            "tables": len(result.tables),
            "kpi_progress_rows": result.tables.get("kpi.kpi_progress", 0),
            "served": result.served.describe(),
            "replaced": result.replaced.describe() if result.replaced else "",
            "unchanged": result.unchanged,
            "held_kpis": ", ".join(result.held_kpis),
            "held_relations": ", ".join(result.held_relations),
        }
    )


SEMANTIC_LAYER = settings.PROJECT_ROOT / "dbt_project" / "metrics" / "semantic_layer.yml"


def superset_dashboards(semantic_layer: Path = SEMANTIC_LAYER) -> list[dg.AssetSpec]:
    """The dashboards Superset serves from the published file, so lineage reaches the readers.

    Superset refreshes them itself (it reads the serving file on every query): Dagster records
    them, it never materialises them. The list follows the action lines of the semantic layer,
    the same source the Superset bootstrap builds the dashboards from.
    """
    layer = yaml.safe_load(semantic_layer.read_text(encoding="utf-8"))
    overview = layer["overview_dashboard"]
    dashboards = [(overview["slug"], overview["title"])] + [
        (line["dashboard"], line["name_zh"]) for line in layer["action_lines"]
    ]
    return [
        dg.AssetSpec(
            key=dg.AssetKey(["superset", "dashboard", slug]),
            deps=[published_serving_file],
            group_name="dashboards",
            kinds={"superset"},
            description=f"Superset 看板「{title}」(/superset/dashboard/{slug}/), reading the "
            "serving file read-only.",
            metadata={"slug": slug, "title": title},
        )
        for slug, title in dashboards
    ]


QUARTERS = dg.TimeWindowPartitionsDefinition(
    start="2023-01-01",
    cron_schedule="0 0 1 1,4,7,10 *",
    fmt="%Y-%m-%d",
    timezone="Asia/Shanghai",
)
MONTHS = dg.MonthlyPartitionsDefinition(start_date="2023-01-01", timezone="Asia/Shanghai")


def quarter_of_partition(partition_key: str) -> Quarter:
    """A quarter partition is keyed by its first day, e.g. 2024-10-01 for 2024Q4."""
    first_day = date.fromisoformat(partition_key)
    return Quarter.containing(first_day)


@dg.asset(
    key=dg.AssetKey(["exports", "provincial_quarterly_report"]),
    deps=[published_serving_file],
    partitions_def=QUARTERS,
    group_name="exports",
    kinds={"excel", "csv"},
    description="省级季度报表: workbook, CSV and manifest of one quarter, from the serving file. "
    "`minzheng export --quarter 2024Q4` writes the same files.",
)
def provincial_quarterly_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    refuse_if_stopping()
    paths = settings.paths()
    quarter = quarter_of_partition(context.partition_key)
    result = export_quarter(paths.serving, paths.exports, quarter)
    return dg.MaterializeResult(
        metadata={
            "quarter": quarter.label,
            "directory": dg.MetadataValue.path(str(result.directory)),
            "rows": result.rows,
        }
    )


@dg.asset(
    key=dg.AssetKey(["history", "kpi_month_end_snapshot"]),
    deps=[published_serving_file],
    partitions_def=MONTHS,
    group_name="exports",
    kinds={"parquet"},
    description="月末快照: the month's KPI figures as reported at month end, kept apart from later "
    "revisions. Written once; a later run of the same month keeps the first snapshot.",
)
def kpi_month_end_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    refuse_if_stopping()
    paths = settings.paths()
    month = date.fromisoformat(context.partition_key)
    snapshot = snapshot_month(paths.serving, paths.history, month, context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(snapshot.path)),
            "rows": snapshot.rows,
            "newly_written": snapshot.newly_written,
        }
    )


def latest_quarter(serving_file: Path) -> Quarter:
    with duckdb.connect(str(serving_file), read_only=True) as connection:
        row = connection.execute("select max(period_month) from kpi.kpi_progress").fetchone()
    if not row or row[0] is None:
        raise dg.Failure("kpi.kpi_progress is empty in the serving file")
    month = row[0]
    return Quarter.containing(month)

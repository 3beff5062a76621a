"""Publish (the atomic swap of the serving file) and the provincial export."""

import dagster as dg
import duckdb

from minzheng import settings
from minzheng.export import Quarter, export_quarter
from minzheng.publish import publish
from orchestration.defs.warehouse import warehouse_models


@dg.asset(
    key=dg.AssetKey(["serving", "minzheng"]),
    deps=[warehouse_models],
    group_name="serving",
    kinds={"duckdb"},
    description="The read-only serving file: conformed, marts and kpi schemas copied from the "
    "build and swapped in atomically after every blocking check passed.",
)
def published_serving_file() -> dg.MaterializeResult:
    paths = settings.paths()
    result = publish(paths.warehouse, paths.serving)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.serving_file)),
            "tables": len(result.tables),
            "kpi_progress_rows": result.tables.get("kpi.kpi_progress", 0),
            "previous": str(result.previous_file or ""),
        }
    )


@dg.asset(
    key=dg.AssetKey(["exports", "provincial_quarterly_report"]),
    deps=[published_serving_file],
    group_name="exports",
    kinds={"excel", "csv"},
    description="省级季度报表: workbook, CSV and manifest for the latest quarter with data.",
)
def provincial_quarterly_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    paths = settings.paths()
    quarter = latest_quarter(paths.serving)
    result = export_quarter(paths.serving, paths.exports, quarter, context.run_id)
    return dg.MaterializeResult(
        metadata={
            "quarter": quarter.label,
            "directory": dg.MetadataValue.path(str(result.directory)),
            "rows": result.rows,
        }
    )


def latest_quarter(serving_file: object) -> Quarter:
    with duckdb.connect(str(serving_file), read_only=True) as connection:
        row = connection.execute("select max(period_month) from kpi.kpi_progress").fetchone()
    if not row or row[0] is None:
        raise dg.Failure("kpi.kpi_progress is empty in the serving file")
    month = row[0]
    return Quarter(month.year, (month.month - 1) // 3 + 1)

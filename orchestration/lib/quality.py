"""Great Expectations suites as blocking Dagster asset checks."""

from pathlib import Path

import dagster as dg
import duckdb

from expectations.runner import validate_frame
from expectations.suites import SuiteFactory, published
from minzheng import settings
from orchestration.lib.extract_assets import raw_asset_key
from orchestration.lib.resources import RawZoneResource

_EXPECTED_GRID_SQL = (
    Path(__file__).resolve().parents[2] / "expectations" / "sql" / "kpi_grid_expected_rows.sql"
)


def raw_suite_check(source: str, entity: str, suite: SuiteFactory) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=raw_asset_key(source, entity),
        name="source_contract",
        blocking=True,
        description=f"Great Expectations suite raw.{source}.{entity} over every landed batch.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, raw_zone: RawZoneResource
    ) -> dg.AssetCheckResult:
        files = [str(p) for p in raw_zone.zone().batch_files(source, entity)]
        if not files:
            return dg.AssetCheckResult(
                passed=False, metadata={"error": f"no batches landed for {source}.{entity}"}
            )
        with duckdb.connect() as connection:
            frame = connection.execute(
                "select * from read_parquet(?, union_by_name = true)", [files]
            ).df()
        outcome = validate_frame(suite(), frame)
        for failure in outcome.blocking_failures:
            context.log.error(f"{source}.{entity} [blocking] {failure.describe()}")
        for warning in outcome.warnings:
            context.log.warning(f"{source}.{entity} [warning] {warning.describe()}")
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata=dict(outcome.metadata()),  # type: ignore[arg-type]
        )

    return _check


def published_kpi_check(kpi_progress_key: dg.AssetKey) -> dg.AssetChecksDefinition:
    """The published KPI table's contract, on the build before publish (write-audit-publish)."""

    @dg.asset_check(
        asset=kpi_progress_key,
        name="published_contract",
        blocking=True,
        description="Great Expectations suite published.kpi.kpi_progress: the KPI grid complete, "
        "ratios in [0, 1], targets present, statuses valid. Blocks publish.",
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        warehouse = settings.paths().warehouse
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            progress = connection.execute("select * from kpi.kpi_progress").df()
            row = connection.execute(_EXPECTED_GRID_SQL.read_text(encoding="utf-8")).fetchone()
        expected_rows = int(row[0]) if row else 0
        outcome = validate_frame(published.kpi_progress(expected_rows), progress)
        for failure in outcome.blocking_failures:
            context.log.error(f"kpi.kpi_progress [blocking] {failure.describe()}")
        return dg.AssetCheckResult(
            passed=outcome.passed and expected_rows > 0,
            metadata={**outcome.metadata(), "expected_rows": expected_rows},  # type: ignore[dict-item]
        )

    return _check

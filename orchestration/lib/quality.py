"""Great Expectations suites as blocking Dagster asset checks."""

import dagster as dg
import duckdb

from expectations.runner import validate_frame
from expectations.suites import SuiteFactory
from orchestration.lib.extract_assets import raw_asset_key
from orchestration.lib.resources import RawZoneResource


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

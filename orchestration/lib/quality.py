"""Quality gates as blocking Dagster asset checks.

- ``source_contract`` on every raw asset and ``published_contract`` on ``kpi/kpi_progress``: Great
  Expectations suites. Every validation is also recorded in the Data Docs site under
  ``$MINZHENG_DATA_DIR/quality/`` (``expectations.data_docs``); the check's metadata carries the
  figures and the page's path.
- ``landed_batches_reconcile`` on the audit model: every landed batch was read whole by the
  warehouse, with the reconciliation figures (staged, quarantined, superseded, redelivered) as
  metadata; conflicting redeliveries (quarantined) are logged as warnings.
"""

from pathlib import Path

import dagster as dg
import duckdb

from expectations import data_docs
from expectations.runner import SuiteOutcome, validate_frame, validate_parquet
from expectations.suites import SuiteFactory, fingerprint, published
from minzheng import holds, settings
from minzheng.raw_zone import BatchManifest, RawZone
from minzheng.run_summary import batch_reconciliation, conflicting_redeliveries
from minzheng.stopping import refuse_if_stopping
from orchestration.lib.extract_assets import raw_asset_key
from orchestration.lib.resources import RawZoneResource

_EXPECTED_GRID_SQL = (
    Path(__file__).resolve().parents[2] / "expectations" / "sql" / "kpi_grid_expected_rows.sql"
)


def _build_seconds(context: dg.AssetCheckExecutionContext, asset_key: dg.AssetKey) -> float | None:
    """Duration of the step that last materialized ``asset_key`` (None when not known)."""
    try:
        event = context.instance.get_latest_materialization_event(asset_key)
        if event is None or not event.step_key:
            return None
        stats = context.instance.get_run_step_stats(event.run_id, step_keys=[event.step_key])
        if stats and stats[0].start_time and stats[0].end_time:
            return float(stats[0].end_time - stats[0].start_time)
    except Exception:  # figures only: never fail a check for them
        return None
    return None


def _run_name(context: dg.AssetCheckExecutionContext) -> str | None:
    try:
        return context.run.run_id
    except Exception:  # invoked directly, outside a run: no run to name
        return None


def _record(context: dg.AssetCheckExecutionContext, outcome: SuiteOutcome) -> dict[str, object]:
    """Record the outcome in Data Docs; metadata pointing at the page (or saying why not)."""
    try:
        [recorded] = data_docs.record([outcome], run_name=_run_name(context))
    except Exception as error:  # the docs are a view: a failure to write them must not block data
        context.log.warning(f"Data Docs not updated for {outcome.suite}: {error!r}")
        return {"data_docs_error": repr(error)}
    figures: dict[str, object] = {
        "data_docs": dg.MetadataValue.path(str(recorded.landing_page)),
    }
    if recorded.validation_page is not None:
        figures["data_docs_validation"] = dg.MetadataValue.path(str(recorded.validation_page))
    return figures


def _log(context: dg.AssetCheckExecutionContext, label: str, outcome: SuiteOutcome) -> None:
    for failure in outcome.blocking_failures:
        context.log.error(f"{label} [blocking] {failure.describe()}")
    for warning in outcome.warnings:
        context.log.warning(f"{label} [warning] {warning.describe()}")


def raw_suite_check(source: str, entity: str, suite: SuiteFactory) -> dg.AssetChecksDefinition:
    asset_key = raw_asset_key(source, entity)

    @dg.asset_check(
        asset=asset_key,
        name="source_contract",
        blocking=True,
        description=f"Great Expectations suite raw.{source}.{entity} over the batches landed "
        "since the entity's last passing contract (every batch when the suite has changed).",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, raw_zone: RawZoneResource
    ) -> dg.AssetCheckResult:
        refuse_if_stopping()
        zone = raw_zone.zone()
        manifests = zone.manifests(source, entity)
        if not manifests:
            return dg.AssetCheckResult(
                passed=False, metadata={"error": f"no batches landed for {source}.{entity}"}
            )
        contract = suite()
        rules = fingerprint(contract)
        # Batches are immutable: one that kept this suite keeps it. Only the new ones are judged.
        mark = holds.contract_mark(zone, source, entity, rules)
        new = [m for m in manifests if holds.extracted_after(m, mark)]
        counts = {"batch_files": len(manifests), "batches_judged": len(new)}
        if not new:
            return dg.AssetCheckResult(
                passed=True,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={**counts, "judged": "no batch landed since the last passing contract"},
            )
        directory = zone.entity_dir(source, entity)
        files = [str(directory / f"{m.batch_id}.parquet") for m in new]
        # GE's SQL engine on DuckDB over a read_parquet view: no year of batches in pandas.
        outcome = validate_parquet(contract, files, engine="sql")
        _log(context, f"{source}.{entity}", outcome)
        metadata: dict[str, object] = {**outcome.metadata(), **counts}
        build_seconds = _build_seconds(context, asset_key)
        if build_seconds and outcome.seconds is not None:
            metadata["build_seconds"] = round(build_seconds, 3)
            metadata["validation_to_build_ratio"] = round(outcome.seconds / build_seconds, 3)
        metadata.update(_record(context, outcome))
        if outcome.passed:
            holds.set_contract_mark(zone, source, entity, manifests, rules)
            for released in _release_replaced(zone, source, entity):
                context.log.info(f"{source}.{entity}: hold released: {released.reason()}")
            return dg.AssetCheckResult(
                passed=True,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata=metadata,  # type: ignore[arg-type]
            )
        held = _contain(zone, source, entity, manifests, new, suite, rules)
        if not held:
            # Not one batch to blame: everything downstream of the entity waits, as it must.
            return dg.AssetCheckResult(
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata=metadata,  # type: ignore[arg-type]
            )
        for hold in held:
            context.log.error(f"held back, its KPIs keep their figures: {hold.reason()}")
        metadata["held_batches"] = "\n".join(hold.reason() for hold in held)
        metadata["held_rows"] = sum(hold.row_count for hold in held)
        # Contained: the batches that broke the contract are held, the rest of the entity keeps
        # it. A warning, so the night goes on; publish holds back what depends on the entity.
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata=metadata,  # type: ignore[arg-type]
        )

    return _check


# At most this many batches landed since the last passing contract are judged one by one; more
# (a first load, a long outage) and a failure blocks the entity as a whole.
_MAX_SUSPECT_BATCHES = 20


def _rules_broken(outcome: SuiteOutcome) -> list[str]:
    """The blocking rules a batch broke, without sample values (they may be personal data and
    the reason is published beside the KPI)."""
    return [
        f"{failure.expectation}"
        + (f" on {failure.column}" if failure.column else "")
        + (f" ({failure.unexpected_count} rows)" if failure.unexpected_count is not None else "")
        for failure in outcome.blocking_failures
    ]


def _contain(
    zone: RawZone,
    source: str,
    entity: str,
    manifests: list[BatchManifest],
    suspects: list[BatchManifest],
    suite: SuiteFactory,
    rules: str,
) -> list[holds.Hold]:
    """Hold the new batches that break the contract on their own, when the entity's other new
    batches keep it (the older ones kept it already); none when the failure cannot be pinned on
    new batches that way."""
    if not suspects or len(suspects) > _MAX_SUSPECT_BATCHES:
        return []
    directory = zone.entity_dir(source, entity)
    broken = []
    for manifest in suspects:
        alone = validate_parquet(suite(), [directory / f"{manifest.batch_id}.parquet"])
        if not alone.passed:
            broken.append((manifest, _rules_broken(alone)))
    broken_ids = {manifest.batch_id for manifest, _ in broken}
    kept = [m for m in manifests if m.batch_id not in broken_ids]
    if not broken or not kept:
        return []
    rest = [directory / f"{m.batch_id}.parquet" for m in suspects if m.batch_id not in broken_ids]
    if rest and not validate_parquet(suite(), rest).passed:
        return []
    held = [holds.hold_batch(zone, manifest, rules_broken) for manifest, rules_broken in broken]
    holds.set_contract_mark(zone, source, entity, kept, rules)
    return held


def _release_replaced(zone: RawZone, source: str, entity: str) -> list[holds.Hold]:
    manifests = zone.manifests(source, entity)
    return [
        holds.release(zone, hold)
        for hold in holds.holds(zone)
        if hold.source == source and hold.entity == entity and holds.replaced(hold, manifests)
    ]


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
        refuse_if_stopping()
        warehouse = settings.paths().warehouse
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            progress = connection.execute("select * from kpi.kpi_progress").df()
            row = connection.execute(_EXPECTED_GRID_SQL.read_text(encoding="utf-8")).fetchone()
        expected_rows = int(row[0]) if row else 0
        # A small table, and the suite uses pandas row conditions: pandas it is.
        outcome = validate_frame(published.kpi_progress(expected_rows), progress)
        _log(context, "kpi.kpi_progress", outcome)
        metadata: dict[str, object] = {**outcome.metadata(), "expected_rows": expected_rows}
        metadata.update(_record(context, outcome))
        return dg.AssetCheckResult(
            passed=outcome.passed and expected_rows > 0,
            metadata=metadata,  # type: ignore[arg-type]
        )

    return _check


def batch_reconciliation_check(audit_key: dg.AssetKey) -> dg.AssetChecksDefinition:
    """Rows landed (batch manifests) = rows the warehouse read, batch by batch.

    The rest of the equation (read = staged + quarantined + superseded + redelivered) is the dbt
    test on the audit models, which fails the build before this check runs; the check adds the
    manifests, which dbt does not see, and carries the figures of both into the run's metadata.
    """

    @dg.asset_check(
        asset=audit_key,
        name="landed_batches_reconcile",
        blocking=True,
        description="Every landed raw batch (its manifest's row count) was read whole by the "
        "warehouse and its rows reconcile: landed = read = staged + quarantined + superseded + "
        "redelivered. "
        "Blocks publish.",
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        refuse_if_stopping()
        reconciliation = batch_reconciliation(settings.paths())
        if reconciliation is None:
            return dg.AssetCheckResult(
                passed=False, metadata={"error": "the warehouse holds no audit tables"}
            )
        for line in reconciliation.unreconciled + reconciliation.landed_not_read:
            context.log.error(f"batch does not reconcile: {line}")
        conflicting = conflicting_redeliveries(settings.paths().warehouse)
        for entity, rows in sorted(conflicting.items()):
            context.log.warning(f"{entity}: {rows} conflicting redeliveries quarantined")
        metadata = {
            **reconciliation.metadata(),
            "conflicting_redeliveries": dg.MetadataValue.json(conflicting),
            "by_entity": dg.MetadataValue.json(reconciliation.by_entity()),
        }
        return dg.AssetCheckResult(
            passed=reconciliation.is_reconciled,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata=metadata,  # type: ignore[arg-type]
        )

    return _check

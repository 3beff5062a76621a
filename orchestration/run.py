"""One whole run in process, as `minzheng run` does it: the nightly job, then the export."""

import dagster as dg

from minzheng import settings, stopping
from minzheng.export import held_kpis
from minzheng.run_summary import RunOutcome
from orchestration.lib.dbt import prepare_manifest


def dagster_instance() -> dg.DagsterInstance:
    settings.export_environment()
    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    instance_config = home / "dagster.yaml"
    if not instance_config.exists():
        # Run history stays on this machine; nothing is reported anywhere.
        instance_config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return dg.DagsterInstance.get()


def run_once(log_level: str = "WARNING", *, full_refresh: bool = False) -> RunOutcome:
    instance = dagster_instance()
    prepare_manifest()
    from orchestration.definitions import build_definitions
    from orchestration.defs.serving import latest_quarter

    definitions = build_definitions()
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    nightly_config = {
        **run_config,
        "ops": {BUILD_STEP: {"config": {"full_refresh": full_refresh}}},
    }
    nightly = definitions.resolve_job_def("nightly").execute_in_process(
        run_config=nightly_config, instance=instance, raise_on_error=False
    )
    outcome = _outcome(nightly)
    outcome.stopped = stopping.stop_requested()
    if not outcome.published or outcome.stopped:
        outcome.success = False
    if not outcome.success:
        return outcome
    quarter = latest_quarter(settings.paths().serving)
    held = held_kpis(settings.paths().serving, quarter)
    if held:
        # The night published what it could; the province gets no stale figures unannounced.
        outcome.export_held = [kpi.describe() for kpi in held]
        return outcome
    export = definitions.resolve_job_def("quarterly_export").execute_in_process(
        run_config=run_config,
        instance=instance,
        partition_key=quarter.start.isoformat(),
        raise_on_error=False,
    )
    exported = _outcome(export)
    # A stop asked for during the export: it finished, and the run says it was stopped.
    outcome.stopped = stopping.stop_requested()
    outcome.success = exported.success and not outcome.stopped
    outcome.failed_steps += exported.failed_steps
    if exported.success:
        outcome.exported = str(settings.paths().exports / quarter.label)
    return outcome


# The dbt build's step: when it succeeded, the warehouse's figures are this run's.
BUILD_STEP = "warehouse_models"
# The publish step's asset: materialised means the serving file was published (or kept).
SERVING_ASSET = "serving/minzheng"


def failure_reason(event: dg.DagsterEvent) -> str:
    """What made a step fail: the innermost error's message (Dagster wraps the asset's error)."""
    data = event.step_failure_data
    error = data.error if data else None
    while error is not None and error.cause is not None:
        error = error.cause
    if error is None:
        return "unknown error"
    lines = error.message.strip().splitlines()
    message = lines[-1] if lines else error.cls_name or "unknown error"
    if error.cls_name == "DagsterExecutionInterruptedError":
        return "interrupted: the run was stopped (SIGINT/SIGTERM) before this step finished"
    # "package.module.SomeError: text" -> "SomeError: text"; an unreachable source says it all.
    qualified, _, text = message.partition(": ")
    if text and qualified.split(".")[-1] == error.cls_name:
        said_whole = error.cls_name in ("SourceUnreachable", "RunStopped")
        return text if said_whole else f"{error.cls_name}: {text}"
    return message


def _outcome(result: dg.ExecuteInProcessResult) -> RunOutcome:
    failed_checks = [
        f"{e.asset_key.to_user_string()} {e.check_name}"
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
    materialized = {
        m.asset_key.to_user_string()
        for m in result.get_asset_materialization_events()
        if m.asset_key is not None
    }
    published = SERVING_ASSET in materialized
    tonight = {"rows_landed": 0, "batches_landed": 0, "quarantined_files": 0}
    served, unchanged = "", False
    batch_ids: list[str] = []
    for event in result.get_asset_materialization_events():
        metadata = event.step_materialization_data.materialization.metadata
        for figure in tonight:
            value = metadata.get(figure)
            tonight[figure] += int(str(value.value)) if value is not None else 0
        if "batch_ids" in metadata and str(metadata["batch_ids"].value):
            batch_ids += str(metadata["batch_ids"].value).split(", ")
        if event.asset_key is not None and event.asset_key.to_user_string() == SERVING_ASSET:
            served = str(metadata["served"].value)
            unchanged = bool(metadata["unchanged"].value)
    return RunOutcome(
        run_id=result.run_id,
        success=result.success and not failed_checks,
        failed_checks=failed_checks,
        failed_steps=[
            (e.step_key or "", failure_reason(e)) for e in result.all_events if e.is_step_failure
        ],
        published=published,
        served=served,
        serving_unchanged=unchanged,
        built=any(e.is_step_success and e.step_key == BUILD_STEP for e in result.all_events),
        landed_rows=tonight["rows_landed"],
        landed_batches=tonight["batches_landed"],
        landed_batch_ids=batch_ids,
        quarantined_files=tonight["quarantined_files"],
    )

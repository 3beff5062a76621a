"""Sensors: new files in the drop folders, and an alert record for every failed run."""

import dagster as dg

from minzheng import settings
from minzheng.alerts import append_alert
from orchestration.defs.sources import civil_registry_assets, social_org_registry_assets
from orchestration.lib.sensors import file_drop_sensor

registry_extract = dg.define_asset_job(
    "social_org_registry_extract",
    selection=dg.AssetSelection.assets(*social_org_registry_assets),
    description="Land the registry's newly dropped exports.",
)
civil_inbox_extract = dg.define_asset_job(
    "civil_registry_extract",
    selection=dg.AssetSelection.assets(*civil_registry_assets),
    description="Land the data exchange's new daily files.",
)

registry_drop_sensor = file_drop_sensor(
    "social_org_registry_drop", registry_extract, lambda: settings.source_access().registry_drop_dir
)
civil_inbox_sensor = file_drop_sensor(
    "civil_registry_inbox", civil_inbox_extract, lambda: settings.source_access().civil_inbox_dir
)


@dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    """Write one alert line per failed run: which steps (assets) failed, and why."""
    failures = [
        {"step": event.step_key or "", "error": _error_message(event)}
        for event in context.get_step_failure_events()
    ]
    append_alert(
        settings.paths().alerts,
        run_id=context.dagster_run.run_id,
        job=context.dagster_run.job_name,
        failed_steps=failures,
        run_error=context.failure_event.message or "",
    )


def _error_message(event: dg.DagsterEvent) -> str:
    error = getattr(event.event_specific_data, "error", None)
    return error.message.strip() if error is not None else ""


jobs = [registry_extract, civil_inbox_extract]
sensors = [registry_drop_sensor, civil_inbox_sensor, alert_on_run_failure]

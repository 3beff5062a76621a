"""A sensor per drop folder: a run when files appear that the cursor has not seen."""

import json
from collections.abc import Callable
from pathlib import Path

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition


def file_drop_sensor(
    name: str,
    job: UnresolvedAssetJobDefinition,
    folder: Callable[[], Path],
    minimum_interval_seconds: int = 300,
) -> dg.SensorDefinition:
    """Requests one run per batch of new files; the cursor holds every file name seen."""

    @dg.sensor(
        name=name,
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        description=f"New files in the drop folder trigger {job.name}.",
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        root = folder()
        if not root.exists():
            return dg.SkipReason(f"{root} does not exist")
        seen: set[str] = set(json.loads(context.cursor)) if context.cursor else set()
        current = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        new = sorted(current - seen)
        if not new:
            return dg.SkipReason(f"no new files in {root}")
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=f"{name}:{new[-1]}:{len(current)}")],
            cursor=json.dumps(sorted(current)),
        )

    return _sensor

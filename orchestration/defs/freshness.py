"""Freshness of the raw zone: each entity is expected to land as often as its system delivers.

The nightly job lands the API and database entities and the daily inbox every night; the registry
exports its full lists once a month. A check warns (it never blocks: stale data is still checked
data) when an entity has not landed within its system's cadence plus slack (`stale_after_hours` in
the system's registry, sources/<system>/entities.yml), and a sensor evaluates
the checks so the Dagster UI shows overdue entities without anyone asking.

Checks rather than Dagster's newer freshness policies: those are still a preview that needs an
instance flag, while a check gives every entity a result, with its figures, in the same place as
its data contract.
"""

from datetime import timedelta
from itertools import groupby

import dagster as dg

from orchestration.defs.sources import extract_assets_by_system
from sources.common.registry import system

# The nightly schedule runs at 01:30 Shanghai time; by 03:00 last night's landing must be there.
NIGHTLY_DEADLINE = "0 3 * * *"
TIMEZONE = "Asia/Shanghai"


def _stale_after(name: str) -> int:
    return system(name).stale_after_hours


# One set of checks per cadence: each system's registry says within how many hours it lands.
freshness_checks = [
    check
    for hours, names in groupby(sorted(extract_assets_by_system, key=_stale_after), _stale_after)
    for check in dg.build_last_update_freshness_checks(
        assets=[asset for name in names for asset in extract_assets_by_system[name]],
        lower_bound_delta=timedelta(hours=hours),
        deadline_cron=NIGHTLY_DEADLINE,
        timezone=TIMEZONE,
        severity=dg.AssetCheckSeverity.WARN,
    )
]

freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=freshness_checks,
    name="raw_zone_freshness",
    default_status=dg.DefaultSensorStatus.RUNNING,
)

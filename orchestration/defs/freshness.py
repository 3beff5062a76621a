"""Freshness of the raw zone: each entity is expected to land as often as its system delivers.

The nightly job lands the API and database entities and the daily inbox every night; the registry
exports its full lists once a month. A check warns (it never blocks: stale data is still checked
data) when an entity has not landed within its system's cadence plus slack, and a sensor evaluates
the checks so the Dagster UI shows overdue entities without anyone asking.

Checks rather than Dagster's newer freshness policies: those are still a preview that needs an
instance flag, while a check gives every entity a result, with its figures, in the same place as
its data contract.
"""

from datetime import timedelta

import dagster as dg

from orchestration.defs.sources import (
    civil_registry_assets,
    elderly_care_assets,
    smart_assistance_assets,
    social_org_registry_assets,
)

# The nightly schedule runs at 01:30 Shanghai time; by 03:00 last night's landing must be there.
NIGHTLY_DEADLINE = "0 3 * * *"
TIMEZONE = "Asia/Shanghai"

nightly_freshness_checks = dg.build_last_update_freshness_checks(
    assets=[*smart_assistance_assets, *elderly_care_assets, *civil_registry_assets],
    lower_bound_delta=timedelta(hours=26),
    deadline_cron=NIGHTLY_DEADLINE,
    timezone=TIMEZONE,
    severity=dg.AssetCheckSeverity.WARN,
)
monthly_freshness_checks = dg.build_last_update_freshness_checks(
    assets=social_org_registry_assets,
    lower_bound_delta=timedelta(days=32),
    deadline_cron=NIGHTLY_DEADLINE,
    timezone=TIMEZONE,
    severity=dg.AssetCheckSeverity.WARN,
)
freshness_checks = [*nightly_freshness_checks, *monthly_freshness_checks]

freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=freshness_checks,
    name="raw_zone_freshness",
    default_status=dg.DefaultSensorStatus.RUNNING,
)

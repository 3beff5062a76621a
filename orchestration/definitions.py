"""Dagster entry point: gathers the definitions that live beside each concern."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from minzheng import settings
from orchestration.defs import schedules, sensors
from orchestration.defs.freshness import freshness_checks, freshness_sensor
from orchestration.defs.quality import (
    published_contract_checks,
    raw_contract_checks,
    reconciliation_checks,
)
from orchestration.defs.serving import (
    kpi_month_end_snapshot,
    provincial_quarterly_report,
    published_serving_file,
    superset_dashboards,
)
from orchestration.defs.sources import all_extract_assets
from orchestration.defs.warehouse import warehouse_models
from orchestration.lib.dbt import DBT_PROJECT, build_executable
from orchestration.lib.resources import (
    ElderlyCareDatabase,
    FileDrop,
    RawZoneResource,
    SmartAssistanceApi,
)


def build_definitions() -> dg.Definitions:
    # A bad setting stops the code location from loading, with the CLI's one-line message.
    settings.validate()
    settings.export_environment()
    access = settings.source_access()
    return dg.Definitions(
        assets=[
            *all_extract_assets,
            warehouse_models,
            published_serving_file,
            provincial_quarterly_report,
            kpi_month_end_snapshot,
            *superset_dashboards(),
        ],
        asset_checks=[
            *raw_contract_checks,
            *published_contract_checks,
            *reconciliation_checks,
            *freshness_checks,
        ],
        jobs=[*schedules.jobs, *sensors.jobs],
        schedules=schedules.schedules,
        sensors=[*sensors.sensors, freshness_sensor],
        resources={
            "smart_assistance_api": SmartAssistanceApi(
                base_url=access.smart_assistance_url, token=access.smart_assistance_token
            ),
            "elderly_care_db": ElderlyCareDatabase(url=access.elderly_care_url),
            "registry_drop": FileDrop(directory=str(access.registry_drop_dir)),
            "civil_inbox": FileDrop(directory=str(access.civil_inbox_dir)),
            "raw_zone": RawZoneResource(root=str(settings.paths().raw)),
            "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=build_executable()),
        },
    )


defs = build_definitions()

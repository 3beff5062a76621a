"""The dbt build: staging, conformed dimensions, marts and KPIs."""

import json

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from minzheng import settings
from minzheng.locks import exclusive
from orchestration.lib.dbt import DBT_PROJECT, WarehouseTranslator


class WarehouseBuildConfig(dg.Config):
    """Rebuild the incremental models from every raw batch (after a change to their columns)."""

    full_refresh: bool = False


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseTranslator(),
)
def warehouse_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: WarehouseBuildConfig
):
    dbt_vars = {"data_as_of": settings.data_as_of().isoformat()}
    args = ["build", "--vars", json.dumps(dbt_vars)]
    if config.full_refresh:
        args.append("--full-refresh")
    # dbt runs in its own process: the build file is free again for the checks and publish.
    with exclusive(settings.paths().root / ".warehouse.lock", "the warehouse build"):
        yield from dbt.cli(args, context=context).stream()

"""The dbt build: staging, conformed dimensions, marts and KPIs."""

import json

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from minzheng import settings
from minzheng.locks import exclusive
from minzheng.stopping import refuse_if_stopping
from orchestration.lib.dbt import DBT_PROJECT, WarehouseTranslator, prune_build_folders

# The last builds' compiled SQL and run_results stay for debugging; older ones are deleted.
KEPT_BUILD_FOLDERS = 14


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
    refuse_if_stopping()
    dbt_vars = {"data_as_of": settings.data_as_of().isoformat()}
    args = ["build", *settings.WAREHOUSE_BUILD_EXCLUDES, "--vars", json.dumps(dbt_vars)]
    if config.full_refresh:
        args.append("--full-refresh")
    target = settings.paths().dbt_runs / context.run.run_id
    # dbt runs in its own process: the build file is free again for the checks and publish.
    with exclusive(settings.paths().root / ".warehouse.lock", "the warehouse build"):
        prune_build_folders(settings.paths().dbt_runs, keep=KEPT_BUILD_FOLDERS - 1)
        yield from dbt.cli(args, context=context, target_path=target).stream()

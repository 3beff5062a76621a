"""The dbt project as Dagster assets: sources become the raw assets, folders become groups."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from minzheng import settings

# The dbt of this environment, whatever PATH says (the UI and CI may lack .venv/bin on it).
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
# dbt on the project's Spark session (minzheng.spark_engine), for MINZHENG_ENGINE=spark.
SPARK_DBT_EXECUTABLE = str(Path(sys.executable).with_name("minzheng-dbt"))


def build_executable() -> str:
    """The dbt the warehouse build runs: plain dbt-duckdb, or dbt on Spark by MINZHENG_ENGINE."""
    return SPARK_DBT_EXECUTABLE if settings.engine() == "spark" else DBT_EXECUTABLE


DBT_PROJECT = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
)


class WarehouseTranslator(DagsterDbtTranslator):
    """dbt sources are the extract assets (raw/<source>/<entity>); models group by layer or line."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("source."):
            node = manifest["sources"][unique_id]
            return spec.replace_attributes(
                key=dg.AssetKey(["raw", node["source_name"], node["name"]])
            )
        node = manifest["nodes"][unique_id]
        return spec.replace_attributes(group_name=_group(node))


def _group(node: Mapping[str, Any]) -> str:
    fqn: list[str] = node.get("fqn", [])
    layer = fqn[1] if len(fqn) > 2 else "warehouse"
    if layer == "marts" and len(fqn) > 3:
        return fqn[2]
    if layer == "seeds" or node.get("resource_type") == "seed":
        return "reference"
    return layer


def manifest_path() -> Path:
    return Path(DBT_PROJECT.manifest_path)


def prepare_manifest(force: bool = False) -> Path:
    """Parse the dbt project when the manifest is missing or older than any project file."""
    target = manifest_path()
    if not force and target.exists():
        # The seeds are the city profile's, outside the dbt project.
        files = [*settings.DBT_PROJECT_DIR.rglob("*"), *settings.city_profile_dir().rglob("*")]
        newest = max(
            p.stat().st_mtime
            for p in files
            if p.is_file() and "target" not in p.parts and "logs" not in p.parts
        )
        if target.stat().st_mtime >= newest:
            return target
    subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--project-dir",
            str(settings.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(settings.DBT_PROJECT_DIR),
        ],
        check=True,
    )
    return target


def prune_build_folders(folder: Path, keep: int) -> None:
    """Delete all but the newest `keep` build folders: a nightly build leaves about 40 MB."""
    if not folder.is_dir():
        return
    builds = sorted(
        (p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for stale in builds[keep:]:
        shutil.rmtree(stale, ignore_errors=True)

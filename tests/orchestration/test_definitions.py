from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.lib.dbt import prepare_manifest, prune_build_folders


def test_definitions_load_with_every_layer() -> None:
    prepare_manifest()
    definitions = build_definitions()
    dg.Definitions.validate_loadable(definitions)
    keys = {key.to_user_string() for key in definitions.resolve_asset_graph().get_all_asset_keys()}
    expected_raw = {
        "raw/smart_assistance/assistance_cases",
        "raw/smart_assistance/child_survey_submissions",
        "raw/elderly_care/institutions",
        "raw/elderly_care/bed_capacity_changes",
        "raw/social_org_registry/organizations",
        "raw/social_org_registry/evaluation_grades",
        "raw/civil_registry/deaths",
    }
    assert expected_raw <= keys
    assert {
        "kpi/kpi_progress",
        "serving/minzheng",
        "exports/provincial_quarterly_report",
        "history/kpi_month_end_snapshot",
    } <= keys
    jobs = {job.name for job in definitions.resolve_all_job_defs()}
    assert {"nightly", "quarterly_export", "month_end_snapshot"} <= jobs


def test_raw_assets_are_upstream_of_the_dbt_staging_models() -> None:
    graph = build_definitions().resolve_asset_graph()
    deaths = dg.AssetKey(["raw", "civil_registry", "deaths"])
    children = {key.to_user_string() for key in graph.get(deaths).child_keys}
    assert "staging/base_civil_registry__deaths" in children


def test_superset_dashboards_are_downstream_of_the_serving_file() -> None:
    graph = build_definitions().resolve_asset_graph()
    serving = dg.AssetKey(["serving", "minzheng"])
    dashboards = {
        key.to_user_string() for key in graph.get(serving).child_keys if key.path[0] == "superset"
    }
    assert dashboards == {
        "superset/dashboard/overview",
        *(f"superset/dashboard/line-{code}" for code in ("sa", "ec", "ch", "sp", "ss")),
    }


def test_every_raw_asset_has_a_freshness_check() -> None:
    definitions = build_definitions()
    graph = definitions.resolve_asset_graph()
    raw_keys = {key for key in graph.get_all_asset_keys() if key.path[0] == "raw"}
    checked = {
        spec.asset_key
        for checks in definitions.asset_checks or []
        for spec in checks.check_specs
        if spec.name == "freshness_check"
    }
    assert raw_keys and raw_keys <= checked
    assert "raw_zone_freshness" in {sensor.name for sensor in definitions.sensors or []}


def test_only_the_newest_build_folders_are_kept(tmp_path: Path) -> None:
    for age in range(5):
        build = tmp_path / f"run-{age}"
        (build / "compiled").mkdir(parents=True)
        os.utime(build, (1_700_000_000 - age * 86_400,) * 2)
    (tmp_path / "not-a-build.txt").write_text("kept", encoding="utf-8")
    prune_build_folders(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-build.txt", "run-0", "run-1"]
    prune_build_folders(tmp_path / "absent", keep=2)  # nothing built yet: nothing to do

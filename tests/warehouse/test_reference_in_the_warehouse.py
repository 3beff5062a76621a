"""Reference facts the warehouse derives instead of copying: measured KPIs, districts, lines."""

from __future__ import annotations

import json

import duckdb
from dbt_runner import Build


def test_has_measure_is_every_measure_model_in_the_dbt_graph(build: Build) -> None:
    manifest = json.loads((build.target_dir / "manifest.json").read_text("utf-8"))
    models = {
        node["name"].split("__")[1].upper()
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("kpi_measure__")
    }
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        measured = {
            row[0]
            for row in connection.execute(
                "select kpi_code from kpi.kpi_catalog where has_measure"
            ).fetchall()
        }
        unioned = {
            row[0]
            for row in connection.execute(
                "select distinct kpi_code from kpi.kpi_measures"
            ).fetchall()
        }
    assert models and measured == models
    assert unioned <= models


def test_each_district_targets_add_up_to_the_districts_of_dim_region(build: Build) -> None:
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        (districts,) = connection.execute(
            "select count(*) from conformed.dim_region where region_level = 'county'"
        ).fetchone() or (0,)
        rows = connection.execute(
            "select distinct catalog.target_value, progress.target_value"
            " from kpi.kpi_progress as progress"
            " inner join kpi.kpi_catalog as catalog using (plan_year, kpi_code)"
            " where catalog.scope = 'each_district' and progress.region_level = 'city'"
        ).fetchall()
    assert districts > 0 and rows
    assert all(city == district * districts for district, city in rows)


def test_action_line_names_come_from_the_action_lines_seed(build: Build) -> None:
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        missing = connection.execute(
            "select count(*) from kpi.kpi_catalog as catalog"
            " left join seeds.ref_action_lines as lines using (action_line)"
            " where lines.action_line_zh is distinct from catalog.action_line_zh"
        ).fetchone()
    assert missing == (0,)

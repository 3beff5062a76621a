"""The entity registries (sources/<system>/entities.yml) are the one statement of the raw contract.

The clients, the suites, the extract assets and the freshness checks read them; dbt's sources and
the raw-zone docs are generated from them; the simulators conform to them.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from expectations.suites import RAW_SUITES
from expectations.suites.raw import suite
from minzheng import generate
from sources.civil_registry import client as civil
from sources.common import registry
from sources.common.files import SchemaDriftError
from sources.social_org_registry import client as exports

NEW_COLUMN = "burial_place"


def test_generated_files_are_up_to_date() -> None:
    stale = [str(path) for path in generate.stale_files()]
    assert not stale, f"run `minzheng generate`: {stale}"


def test_suites_and_extract_assets_cover_exactly_the_registered_entities() -> None:
    from orchestration.defs.sources import all_extract_assets

    registered = {(e.system, e.name) for e in registry.all_entities()}
    assert set(RAW_SUITES) == registered
    assets = {tuple(key.path[1:]) for a in all_extract_assets for key in a.keys}
    assert assets == registered


def test_reference_values_come_from_the_seed() -> None:
    seed = (registry.regions.DIVISIONS_CSV.parent / "ref_counties.csv").read_text("utf-8")
    counties = [line.split(",")[0] for line in seed.splitlines() if ",county," in line]
    assert registry.reference_values("counties") == counties
    text = "".join(registry.registry_path(name).read_text("utf-8") for name in registry.SYSTEMS)
    assert not any(code in text for code in counties), "a county code is typed in a registry"


@pytest.fixture
def extended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[registry.Entity]:
    """The registries with one new column on civil_registry deaths, and nothing else edited."""
    for name in registry.SYSTEMS:
        (tmp_path / name).mkdir()
        shutil.copy(registry.registry_path(name), tmp_path / name / "entities.yml")
    path = tmp_path / "civil_registry" / "entities.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["entities"]["deaths"]["columns"][NEW_COLUMN] = {"label_zh": "安葬地"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    monkeypatch.setattr(registry, "SOURCES_DIR", tmp_path)
    registry.system.cache_clear()
    yield registry.entities("civil_registry")["deaths"]
    registry.system.cache_clear()


def test_a_new_column_reaches_client_suite_sources_and_docs(
    extended: registry.Entity, tmp_path: Path
) -> None:
    columns = extended.column_names
    assert columns[-1] == NEW_COLUMN
    # The client reads the new header, and calls the old one drift.
    new_file = tmp_path / "deaths_20250101.csv"
    new_file.write_text(",".join(columns) + "\n" + ",".join("x" * len(columns)) + "\n", "utf-8")
    assert list(civil.read_daily_file(new_file, "deaths").columns) == columns
    old_file = tmp_path / "deaths_20250102.csv"
    old_file.write_text(",".join(columns[:-1]) + "\n", "utf-8")
    with pytest.raises(SchemaDriftError):
        civil.read_daily_file(old_file, "deaths")
    # The suite's exact column set holds it.
    column_set = suite(extended).expectations[0].configuration.kwargs["column_set"]
    assert NEW_COLUMN in column_set
    # dbt's sources, the raw-zone page and dbt's raw_columns: `generate` rewrites exactly those.
    source = registry.system("civil_registry")
    tables = yaml.safe_load(generate.render_sources(source))["sources"][0]["tables"]
    deaths = next(t for t in tables if t["name"] == "deaths")
    assert deaths["columns"][-1]["name"] == NEW_COLUMN
    assert f"| {NEW_COLUMN} | 安葬地 |" in generate.render_docs(source)
    assert set(generate.stale_files()) == {
        generate.sources_yml("civil_registry"),
        generate.docs_page("civil_registry"),
        generate.RAW_COLUMNS_MACRO,
    }
    assert f'"{NEW_COLUMN}"]' in generate.render_raw_columns()


def _served_columns(root: Path) -> dict[tuple[str, str], list[str]]:
    """Every entity's columns as the simulated systems serve them, through each access method."""
    served: dict[tuple[str, str], list[str]] = {}
    for name, database in (
        ("smart_assistance", root / "smart_assistance" / "store.sqlite"),
        ("elderly_care", root / "elderly_care" / "elderly_care.sqlite"),
    ):
        with sqlite3.connect(database) as connection:
            tables = connection.execute("select name from sqlite_master where type = 'table'")
            for (table,) in tables.fetchall():
                info = connection.execute(f'pragma table_info("{table}")').fetchall()
                served[(name, table)] = [row[1] for row in info]
        connection.close()
    for entity in registry.entities("social_org_registry"):
        newest = exports.list_exports(root / "social_org_registry" / "drop", entity)[-1]
        served[("social_org_registry", entity)] = list(exports.read_export(newest, entity).columns)
    for entity in registry.entities("civil_registry"):
        newest = civil.list_inbox_files(root / "civil_registry" / "inbox", entity)[-1]
        served[("civil_registry", entity)] = list(civil.read_daily_file(newest, entity).columns)
    return served


def test_the_simulators_conform_to_the_registries(simulated: dict[str, Any]) -> None:
    served = _served_columns(simulated["dir"])
    registered = {(e.system, e.name): e.column_names for e in registry.all_entities()}
    assert served == registered

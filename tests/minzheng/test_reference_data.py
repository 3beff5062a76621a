"""Reference data lives in the warehouse's seeds: code reads it there, never types it again."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from sources.common import regions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = regions.SEEDS
# Where a district list or count used to be typed out beside the seed.
CODE_FOLDERS = (
    "sources",
    "orchestration",
    "minzheng",
    "expectations",
    "superset/minzheng_superset",
)
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml"}


def _counties() -> list[str]:
    with (SEEDS / "ref_counties.csv").open(encoding="utf-8") as seed:
        return [
            row["region_code"] for row in csv.DictReader(seed) if row["region_level"] == "county"
        ]


def test_no_district_code_is_written_outside_the_seeds() -> None:
    counties = _counties()
    paths = [
        path
        for folder in CODE_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in CODE_SUFFIXES
    ]
    paths += list((ROOT / "dbt_project").glob("*/**/*.sql"))
    offending = [
        str(path.relative_to(ROOT))
        for path in paths
        if "target" not in path.parts and any(code in path.read_text("utf-8") for code in counties)
    ]
    assert not offending, offending


def test_the_regions_module_reads_the_seed() -> None:
    assert list(regions.COUNTIES) == _counties()
    assert set(regions.COUNTY_NAMES) == set(_counties())


def test_no_district_count_is_written_in_the_kpi_sql() -> None:
    models = ROOT / "dbt_project" / "models" / "kpi"
    for path in models.glob("*.sql"):
        text = path.read_text("utf-8")
        assert not re.search(rf"\*\s*{len(_counties())}\b", text), path.name


def test_action_lines_are_one_seed_that_the_targets_reference() -> None:
    with (SEEDS / "ref_action_lines.csv").open(encoding="utf-8") as seed:
        lines = {row["action_line"]: row["action_line_zh"] for row in csv.DictReader(seed)}
    with (SEEDS / "kpi_targets.csv").open(encoding="utf-8") as seed:
        targets = list(csv.DictReader(seed))
    assert {row["action_line"] for row in targets} == set(lines)
    assert "action_line_zh" not in targets[0], "the action lines' names are in ref_action_lines"

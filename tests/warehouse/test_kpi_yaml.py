"""KPI YAML per action line: each measure model is described, and unit-tested, in its line's file."""

from __future__ import annotations

import csv

import yaml
from dbt_runner import DBT_PROJECT

from sources.common.regions import SEEDS


def test_each_measure_model_has_its_unit_test_beside_it_in_its_action_lines_file() -> None:
    with (SEEDS / "ref_action_lines.csv").open(encoding="utf-8") as seed:
        lines = {row["action_line"] for row in csv.DictReader(seed)}
    measures = {path.stem for path in (DBT_PROJECT / "models" / "kpi").glob("kpi_measure__*.sql")}
    described: set[str] = set()
    for path in (DBT_PROJECT / "models" / "kpi").glob("_kpi__*.yml"):
        document = yaml.safe_load(path.read_text("utf-8"))
        models = {m["name"] for m in document.get("models", []) if m["name"] in measures}
        tested = {test["model"] for test in document.get("unit_tests", []) or []}
        assert models <= tested, f"{path.name}: no unit test beside {sorted(models - tested)}"
        prefixes = {name.split("__")[1][:2].upper() for name in models}
        assert len(prefixes) <= 1 and prefixes <= lines, f"{path.name} mixes lines {prefixes}"
        described |= models
    assert described == measures

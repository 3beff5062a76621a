"""dbt docs without copies: a shared description is one doc block; labels and formats are meta."""

from __future__ import annotations

import json
from collections import Counter

import yaml
from dbt_runner import DBT_PROJECT, Build

SERVED_SCHEMAS = {"conformed", "marts", "kpi"}


def test_no_column_description_is_written_twice() -> None:
    written: Counter[tuple[str, str]] = Counter()
    for path in (DBT_PROJECT / "models").rglob("_*__*.yml"):
        for model in yaml.safe_load(path.read_text("utf-8")).get("models", []) or []:
            for column in model.get("columns", []) or []:
                description = str(column.get("description", ""))
                if description and "doc(" not in description:
                    written[(column["name"], description)] += 1
    repeated = sorted(key for key, count in written.items() if count > 1)
    assert not repeated, f"make these doc blocks (models/_column_docs.md): {repeated[:5]}"


def test_every_served_column_has_its_chinese_label_as_meta(build: Build) -> None:
    manifest = json.loads((build.target_dir / "manifest.json").read_text("utf-8"))
    checked = 0
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] not in SERVED_SCHEMAS:
            continue
        for column in node["columns"].values():
            label = column["meta"].get("label_zh")
            assert label, f"{node['name']}.{column['name']} has no meta label_zh"
            # Until every reader takes the meta key, the description still opens with the label.
            assert column["description"].split("。")[0] == label, (node["name"], column["name"])
            checked += 1
    assert checked > 100

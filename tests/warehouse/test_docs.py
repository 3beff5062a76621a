"""Every model and column is described, and the documentation site builds offline.

`dbt docs generate --static` runs on the session build's warehouse with a proxy that refuses every
connection, into a temporary target path; its manifest says what is described, its catalog what
the built relations really hold.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_runner import DATA_AS_OF, Build, dbt_env, run_dbt

DOCUMENTED = ("model", "seed", "snapshot")
NO_NETWORK = {
    # Nothing listens on port 9: any attempt to reach the network fails at once.
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
}


@dataclass(frozen=True)
class Docs:
    target: Path
    manifest: dict[str, Any]
    catalog: dict[str, Any]

    def project_nodes(self) -> dict[str, dict[str, Any]]:
        return {
            unique_id: node
            for unique_id, node in self.manifest["nodes"].items()
            if node["resource_type"] in DOCUMENTED and node["package_name"] == "minzheng"
        }


@pytest.fixture(scope="module")
def docs(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Docs:
    target = tmp_path_factory.mktemp("dbt_docs_target")
    run_dbt(
        ["docs", "generate", "--static", "--vars", DATA_AS_OF],
        build.data_dir,
        target_dir=target,
        env=dbt_env(build.data_dir, **NO_NETWORK),
    )
    return Docs(
        target,
        json.loads((target / "manifest.json").read_text(encoding="utf-8")),
        json.loads((target / "catalog.json").read_text(encoding="utf-8")),
    )


def test_static_site_is_written_and_self_contained(docs: Docs) -> None:
    page = docs.target / "static_index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "dim_person" in html and "kpi_progress" in html  # manifest and catalog are inlined
    # No script or stylesheet is fetched from elsewhere: the page renders from a file, offline.
    assert not re.search(r"<script[^>]*\ssrc=[\"']?https?:", html)
    assert not re.search(r"<link[^>]*\shref=[\"']?https?:", html)


def test_every_model_is_described(docs: Docs) -> None:
    undescribed = sorted(
        node["name"] for node in docs.project_nodes().values() if not node["description"].strip()
    )
    assert undescribed == []


def test_every_declared_column_is_described(docs: Docs) -> None:
    undescribed = sorted(
        f"{node['name']}.{name}"
        for node in docs.project_nodes().values()
        for name, column in node["columns"].items()
        if not column["description"].strip()
    )
    assert undescribed == []


def test_every_built_column_is_declared_and_every_declared_column_exists(docs: Docs) -> None:
    undeclared: list[str] = []
    stale: list[str] = []
    for unique_id, node in docs.project_nodes().items():
        if node["config"]["materialized"] == "ephemeral":
            continue
        relation = docs.catalog["nodes"].get(unique_id)
        assert relation is not None, f"{node['name']} was not built"
        built = {name.lower() for name in relation["columns"]}
        declared = {name.lower() for name in node["columns"]}
        undeclared += [f"{node['name']}.{name}" for name in sorted(built - declared)]
        stale += [f"{node['name']}.{name}" for name in sorted(declared - built)]
    assert undeclared == [], "columns without a description"
    assert stale == [], "described columns the model does not have"


def test_descriptions_carry_a_chinese_label(docs: Docs) -> None:
    def has_chinese(text: str) -> bool:
        return any("\u4e00" <= char <= "\u9fff" for char in text)

    missing = sorted(
        f"{node['name']}.{name}"
        for node in docs.project_nodes().values()
        for name, column in node["columns"].items()
        if not has_chinese(column["description"])
    )
    missing += sorted(
        node["name"]
        for node in docs.project_nodes().values()
        if not has_chinese(node["description"])
    )
    assert missing == []

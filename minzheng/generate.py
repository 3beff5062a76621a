"""Files written from the entity registries (sources/<system>/entities.yml), never by hand.

`minzheng generate` writes them; `minzheng generate --check` (and a test) fails when one is out of
date. Per source system: dbt's `_<system>__sources.yml` and the raw-zone page `docs/raw_zone/`;
for all of them, the dbt macros `raw_columns` (a raw entity's columns, where dbt's graph is not at
hand: engines that cannot read the columns themselves, unit tests) and `raw_entities` (the list
of entities, for a model that covers every one of them).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from minzheng.settings import DBT_PROJECT_DIR, PROJECT_ROOT
from sources.common.registry import SYSTEMS, Column, Entity, System, system

RAW_ZONE_DOCS = PROJECT_ROOT / "docs" / "raw_zone"
GENERATED = (
    "Written by `minzheng generate` from sources/{system}/entities.yml: edit it, not this file."
)
RAW_COLUMNS = (
    "Raw parquet batches, every column VARCHAR, plus _batch_id, _extracted_at, _source_file."
)
EXTERNAL_LOCATION = (
    "read_parquet('{{{{ env_var('MINZHENG_DATA_DIR', 'data') }}}}/raw/{system}/{{name}}/*.parquet',"
    " union_by_name = true)"
)


def _rules(column: Column) -> str:
    """What the raw contract says of a column's values, in a few words."""
    parts = []
    if column.required:
        parts.append("never null")
    if column.format:
        parts.append(f"format {column.format}")
    if isinstance(column.allowed, str):  # reference data: named, its values stay in the seed
        parts.append(f"one of the {column.allowed} (reference seed)")
    elif column.allowed is not None:
        parts.append("one of " + " / ".join(column.allowed))
    if column.length is not None:
        parts.append(f"{column.length} characters")
    if parts and (column.severity != "blocking" or column.mostly is not None):
        tolerance = f", {column.mostly:.0%} of rows" if column.mostly is not None else ""
        parts[-1] += f" ({column.severity}{tolerance})"
    return "; ".join(parts)


def _column_description(column: Column) -> str:
    text = " ".join(p for p in (column.label_zh, column.description) if p)
    rules = _rules(column)
    return f"{text}. {rules}".strip(". ").strip() if text and rules else (text or rules)


def sources_yml(name: str) -> Path:
    return DBT_PROJECT_DIR / "models" / "staging" / name / f"_{name}__sources.yml"


def docs_page(name: str) -> Path:
    return RAW_ZONE_DOCS / f"{name}.md"


RAW_COLUMNS_MACRO = DBT_PROJECT_DIR / "macros" / "raw_columns.sql"


def render_raw_columns() -> str:
    """The raw columns of every registered entity (the raw zone's metadata columns aside)."""
    lines = [
        "{#- " + GENERATED.format(system="<system>") + " -#}",
        "{% macro raw_columns(source_name, entity) -%}",
        "    {%- set columns = {",
    ]
    for name in SYSTEMS:
        lines.append(f"        {json.dumps(name)}: {{")
        for entity in system(name).entities.values():
            names = ", ".join(json.dumps(c.name, ensure_ascii=False) for c in entity.columns)
            lines.append(f"            {json.dumps(entity.name)}: [{names}],")
        lines.append("        },")
    lines += [
        "    } -%}",
        "    {{ return(columns[source_name][entity]) }}",
        "{%- endmacro %}",
        "",
        "{#- Every registered entity as [source, entity], for the models that cover them all. -#}",
        "{% macro raw_entities() -%}",
        "    {{ return([",
    ]
    for name in SYSTEMS:
        for entity in system(name).entities.values():
            lines.append(f"        [{json.dumps(name)}, {json.dumps(entity.name)}],")
    lines += [
        "    ]) }}",
        "{%- endmacro %}",
        "",
    ]
    return "\n".join(lines)


def render_sources(source: System) -> str:
    def table(entity: Entity) -> dict[str, object]:
        return {
            "name": entity.name,
            "description": entity.summary,
            "columns": [
                {"name": c.name, "description": _column_description(c) or "free text"}
                for c in entity.columns
            ],
        }

    document = {
        "version": 2,
        "sources": [
            {
                "name": source.name,
                "description": f"{source.label_zh}: {source.description} {RAW_COLUMNS}",
                "config": {
                    "meta": {"external_location": EXTERNAL_LOCATION.format(system=source.name)}
                },
                "tables": [table(entity) for entity in source.entities.values()],
            }
        ],
    }
    header = f"# {GENERATED.format(system=source.name)}\n"
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def render_docs(source: System) -> str:
    lines = [
        f"# {source.name} {source.label_zh}: the raw contract",
        "",
        f"<!-- {GENERATED.format(system=source.name)} -->",
        "",
        f"{source.description} Access: {source.access}; lands {source.cadence}, stale after "
        f"{source.stale_after_hours} hours (a warning freshness check). Every column lands as "
        "text; the extract adds `_batch_id`, `_extracted_at` and `_source_file`. Each rule below "
        "is an expectation of the entity's Great Expectations suite, blocking unless it says so.",
    ]
    for entity in source.entities.values():
        key = ", ".join(entity.key_columns)
        version = f"; version `{entity.version}`" if entity.version else ""
        unique = (
            f"; unique ({', '.join(entity.unique)}, {entity.unique_severity})"
            if entity.unique
            else ""
        )
        lines += [
            "",
            f"## `{entity.name}` {entity.label_zh}",
            "",
            f"{entity.description}".strip(),
            "",
            f"Key `{key}`{version}{unique}.",
            "",
            *_column_table(entity),
        ]
    return "\n".join(lines) + "\n"


def _column_table(entity: Entity) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    if any(c.label_zh or c.description for c in entity.columns):
        return [
            "| column | meaning | rules |",
            "|---|---|---|",
            *[
                f"| {c.name} | {cell(' '.join(filter(None, (c.label_zh, c.description))))} "
                f"| {cell(_rules(c))} |"
                for c in entity.columns
            ],
        ]
    return [
        "| column | rules |",
        "|---|---|",
        *[f"| {c.name} | {cell(_rules(c))} |" for c in entity.columns],
    ]


def generated_files() -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    files: dict[Path, str] = {}
    for name in SYSTEMS:
        source = system(name)
        files[sources_yml(name)] = render_sources(source)
        files[docs_page(name)] = render_docs(source)
    files[RAW_COLUMNS_MACRO] = render_raw_columns()
    return files


def stale_files() -> list[Path]:
    return [
        path
        for path, text in generated_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def write_all() -> list[Path]:
    """Write the generated files that changed; the paths written."""
    written = []
    for path, text in generated_files().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written

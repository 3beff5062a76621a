"""The entity registries: each source system's raw contract, kept as data beside its client.

`sources/<system>/entities.yml` names every entity the system serves: its key and version column,
its columns in order with their format, whether they may be null and the values they may take, its
description and Chinese label, and the system's cadence. The clients, the Great Expectations
suites, the Dagster extract assets and the freshness checks read it; dbt's `_<system>__sources.yml`
and the raw-zone docs are written from it (`minzheng generate`). Nothing else lists an entity's
columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sources.common import regions

SOURCES_DIR = Path(__file__).resolve().parents[1]
SYSTEMS = ("smart_assistance", "elderly_care", "social_org_registry", "civil_registry")
RAW_METADATA = ("_batch_id", "_extracted_at", "_source_file")

# Named formats of a column's text, as the raw zone lands it.
FORMATS: dict[str, str] = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "month": r"^\d{4}-(0[1-9]|1[0-2])$",
    "year": r"^\d{4}$",
    "timestamp": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$",
    "local_timestamp": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
    "integer": r"^\d+$",
    "positive_integer": r"^[1-9]\d*$",
    "amount": r"^\d+(\.\d{1,2})?$",
    # 12-digit division codes inside the city: its code's province and city digits, from the seed.
    "city_village_code": rf"^{regions.CITY_CODE[:4]}\d{{8}}$",
    "city_town_code": rf"^{regions.CITY_CODE[:4]}\d{{5}}000$",
}


def reference_values(name: str) -> list[str]:
    """Allowed values named after reference data: read from the warehouse's seed, never typed."""
    if name == "counties":
        return list(regions.COUNTIES)
    if name == "authorities":  # the registration authorities: every county and the city
        return [*regions.COUNTIES, regions.CITY_CODE]
    if name == "assistance_projects":  # the platform's projects, as the city profile lists them
        return list(regions.assistance_projects()["project_name"])
    raise ValueError(f"unknown reference values {name!r}")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    format: str | None = None
    allowed: tuple[str, ...] | str | None = None
    length: int | None = None
    severity: str = "blocking"
    mostly: float | None = None
    label_zh: str | None = None
    description: str | None = None

    @property
    def pattern(self) -> str | None:
        """The regular expression of the column's format, named or written out."""
        return FORMATS.get(self.format, self.format) if self.format else None

    @property
    def allowed_values(self) -> list[str] | None:
        if self.allowed is None:
            return None
        if isinstance(self.allowed, str):
            return reference_values(self.allowed)
        return list(self.allowed)


@dataclass(frozen=True)
class Entity:
    system: str
    name: str
    label_zh: str
    description: str
    key: str | tuple[str, ...]
    columns: tuple[Column, ...]
    version: str | None = None
    unique: tuple[str, ...] | None = None
    unique_severity: str = "blocking"
    file: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def key_columns(self) -> list[str]:
        return [self.key] if isinstance(self.key, str) else list(self.key)

    @property
    def summary(self) -> str:
        """The one-line description: the Chinese label, then what a row is."""
        return f"{self.label_zh}。{self.description}" if self.label_zh else self.description


@dataclass(frozen=True)
class System:
    name: str
    label_zh: str
    description: str
    access: str
    cadence: str
    stale_after_hours: int
    entities: dict[str, Entity]


def _column(name: str, spec: dict[str, Any] | None) -> Column:
    spec = dict(spec or {})
    allowed = spec.pop("allowed", None)
    if isinstance(allowed, list):
        allowed = tuple(str(value) for value in allowed)
    return Column(name=name, allowed=allowed, **spec)


def _entity(system: str, name: str, spec: dict[str, Any]) -> Entity:
    unique = spec.get("unique") or {}
    key = spec["key"]
    return Entity(
        system=system,
        name=name,
        label_zh=spec.get("label_zh") or "",
        description=spec.get("description") or "",
        key=key if isinstance(key, str) else tuple(key),
        version=spec.get("version"),
        unique=tuple(unique["columns"]) if unique else None,
        unique_severity=unique.get("severity", "blocking"),
        file=dict(spec.get("file") or {}),
        columns=tuple(_column(column, s) for column, s in spec["columns"].items()),
    )


def registry_path(system: str) -> Path:
    return SOURCES_DIR / system / "entities.yml"


def parse_system(text: str) -> System:
    data = yaml.safe_load(text)
    name = data["system"]
    return System(
        name=name,
        label_zh=data["label_zh"],
        description=data.get("description") or "",
        access=data["access"],
        cadence=data["cadence"],
        stale_after_hours=int(data["stale_after_hours"]),
        entities={e: _entity(name, e, spec) for e, spec in data["entities"].items()},
    )


@cache
def system(name: str) -> System:
    """The registry of one source system, read once per process."""
    return parse_system(registry_path(name).read_text(encoding="utf-8"))


def entities(name: str) -> dict[str, Entity]:
    return system(name).entities


def all_entities() -> list[Entity]:
    return [entity for name in SYSTEMS for entity in entities(name).values()]

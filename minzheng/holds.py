"""Held raw batches, and what they hold back: the blast radius of one bad file.

A landed batch that breaks a blocking rule of its entity's source contract is *held*: its Parquet
file and manifest move from the entity's folder to ``_quarantine/<source>/<entity>/batches/``
(nothing is rewritten, the warehouse no longer reads it), with a hold record beside them that says
when and why. The rest of the night goes on. Publish then keeps the last published figures of
everything downstream of a held entity (the dbt graph says what that is) and marks the KPIs it
holds in ``kpi.kpi_progress``.

A hold is released when a corrected delivery lands and the entity's contract passes: a file of the
same name with other content, or, for window sources, any later batch. The released record stays
(``released_at``) as history.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from minzheng.raw_zone import BatchManifest, RawZone

HOLD_SUFFIX = ".hold.json"
# dbt node ids: model.<project>.kpi_measure__<code> is the measure of KPI <CODE>.
_KPI_MEASURE_PREFIX = "kpi_measure__"


@dataclass(frozen=True)
class Hold:
    source: str
    entity: str
    batch_id: str
    source_file: str | None
    row_count: int
    rules: list[str]
    held_since: str
    released_at: str | None = None

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    def reason(self) -> str:
        """One line: entity, file (or batch) and the rules it broke."""
        where = self.source_file or self.batch_id
        return f"{self.source}.{self.entity} {where}: {'; '.join(self.rules)}"


def held_dir(raw: RawZone, source: str, entity: str) -> Path:
    return raw.quarantine_dir(source, entity) / "batches"


def hold_batch(raw: RawZone, manifest: BatchManifest, rules: Iterable[str]) -> Hold:
    """Move a landed batch out of its entity's folder and record why."""
    target = held_dir(raw, manifest.source, manifest.entity)
    target.mkdir(parents=True, exist_ok=True)
    hold = Hold(
        source=manifest.source,
        entity=manifest.entity,
        batch_id=manifest.batch_id,
        source_file=manifest.source_file,
        row_count=manifest.row_count,
        rules=list(rules),
        held_since=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _write(target / f"{manifest.batch_id}{HOLD_SUFFIX}", hold)
    entity_dir = raw.entity_dir(manifest.source, manifest.entity)
    # The manifest first: without it the batch no longer counts as landed in the entity's folder.
    for name in (f"{manifest.batch_id}.manifest.json", f"{manifest.batch_id}.parquet"):
        os.replace(entity_dir / name, target / name)
    return hold


def holds(raw: RawZone, *, active_only: bool = True) -> list[Hold]:
    """Every hold record of the raw zone (the active ones by default), oldest first."""
    found = [
        Hold(**json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((raw.root / "_quarantine").glob(f"*/*/batches/*{HOLD_SUFFIX}"))
    ]
    found = [hold for hold in found if hold.is_active or not active_only]
    return sorted(found, key=lambda hold: (hold.held_since, hold.source, hold.entity))


def held_manifests(raw: RawZone, source: str, entity: str) -> list[BatchManifest]:
    """Manifests of the entity's held batches (released or not): rows landed but not read."""
    directory = held_dir(raw, source, entity)
    return [BatchManifest.read(p) for p in sorted(directory.glob("*.manifest.json"))]


def is_held(raw: RawZone, source: str, entity: str, batch_id: str) -> bool:
    return (held_dir(raw, source, entity) / f"{batch_id}.manifest.json").exists()


def release(raw: RawZone, hold: Hold) -> Hold:
    released = replace(hold, released_at=datetime.now(UTC).isoformat(timespec="seconds"))
    _write(held_dir(raw, hold.source, hold.entity) / f"{hold.batch_id}{HOLD_SUFFIX}", released)
    return released


def replaced(hold: Hold, manifests: Iterable[BatchManifest]) -> bool:
    """Whether a corrected delivery landed: the same file name again (other content, so another
    batch), or, for a window source, any batch extracted after the hold began."""
    for manifest in manifests:
        if manifest.batch_id == hold.batch_id:
            continue
        if hold.source_file is not None:
            if manifest.source_file == hold.source_file:
                return True
        elif datetime.fromisoformat(manifest.extracted_at) > datetime.fromisoformat(
            hold.held_since
        ):
            return True
    return False


def _write(path: Path, hold: Hold) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(asdict(hold), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)


# --- lineage from the dbt manifest ---------------------------------------------------------


@dataclass(frozen=True)
class BlastRadius:
    """What the active holds hold back: serving relations ("schema.table") and KPI codes, each
    with the holds behind it."""

    relations: dict[str, list[Hold]]
    kpis: dict[str, list[Hold]]

    @property
    def is_empty(self) -> bool:
        return not self.relations


def blast_radius(manifest: Mapping[str, Any], active: Iterable[Hold]) -> BlastRadius:
    """Every model downstream of a held entity's dbt source, by the manifest's child map."""
    children: Mapping[str, list[str]] = manifest["child_map"]
    nodes: Mapping[str, Mapping[str, Any]] = manifest["nodes"]
    by_source = {
        (node["source_name"], node["name"]): unique_id
        for unique_id, node in manifest["sources"].items()
    }
    relations: dict[str, list[Hold]] = {}
    kpis: dict[str, list[Hold]] = {}
    for hold in active:
        source_id = by_source.get((hold.source, hold.entity))
        if source_id is None:
            continue
        seen: set[str] = set()
        pending = [source_id]
        while pending:
            for child in children.get(pending.pop(), []):
                if child.startswith("model.") and child not in seen:
                    seen.add(child)
                    pending.append(child)
        for unique_id in seen:
            node = nodes[unique_id]
            relation = f"{node['schema']}.{node.get('alias') or node['name']}"
            relations.setdefault(relation, []).append(hold)
            if node["name"].startswith(_KPI_MEASURE_PREFIX):
                code = node["name"].removeprefix(_KPI_MEASURE_PREFIX).upper()
                kpis.setdefault(code, []).append(hold)
    return BlastRadius(relations, kpis)


def read_manifest(path: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


# --- the contract's mark: batches validated by the last passing run ------------------------


def _marks_path(raw: RawZone) -> Path:
    return raw.root / "_state" / "contract_passed.json"


def contract_mark(
    raw: RawZone, source: str, entity: str, suite_fingerprint: str
) -> datetime | None:
    """The latest extraction time among the batches the entity's last passing contract saw, when
    that contract was this suite; None (judge every batch again) when the suite has changed."""
    path = _marks_path(raw)
    if not path.exists():
        return None
    marks: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    mark = marks.get(f"{source}.{entity}")
    # A mark without its suite (or of another suite) says nothing about today's rules.
    if not isinstance(mark, dict) or mark.get("suite") != suite_fingerprint:
        return None
    return datetime.fromisoformat(mark["extracted_at"])


def set_contract_mark(
    raw: RawZone,
    source: str,
    entity: str,
    manifests: Iterable[BatchManifest],
    suite_fingerprint: str,
) -> None:
    latest = max((datetime.fromisoformat(m.extracted_at) for m in manifests), default=None)
    if latest is None:
        return
    path = _marks_path(raw)
    marks: dict[str, Any] = {}
    if path.exists():
        marks = json.loads(path.read_text(encoding="utf-8"))
    marks[f"{source}.{entity}"] = {"extracted_at": latest.isoformat(), "suite": suite_fingerprint}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(marks, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def extracted_after(manifest: BatchManifest, mark: datetime | None) -> bool:
    return mark is None or datetime.fromisoformat(manifest.extracted_at) > mark

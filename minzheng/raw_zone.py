"""The raw zone: immutable Parquet batches with a manifest each, and watermarks per entity.

Contract: docs/sources_and_raw_zone.md. Every source column lands as text; a batch id is derived
from what the batch holds, so landing the same rows twice finds the batch already there.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

METADATA_COLUMNS = ("_batch_id", "_extracted_at", "_source_file")


@dataclass(frozen=True)
class BatchManifest:
    source: str
    entity: str
    batch_id: str
    extracted_at: str
    watermark_from: str | None
    watermark_to: str | None
    source_file: str | None
    row_count: int
    content_sha256: str
    columns: list[str]
    # The delivered file's bytes, to tell a file changed under a name already landed.
    source_file_sha256: str | None = None

    @classmethod
    def read(cls, path: Path) -> BatchManifest:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class QuarantinedFile:
    """A source file that could not be landed, kept with the reason."""

    source: str
    entity: str
    source_file: str
    error: str
    quarantined_at: str
    # A file dated after the day it was seen is looked at again from its own date.
    retry_on: str | None = None


def as_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value as text, null kept null: the raw zone types nothing."""
    return pd.DataFrame(
        {column: _column_as_text(frame[column]) for column in frame.columns},
        index=frame.index,
        columns=frame.columns,
    )


def _column_as_text(values: pd.Series) -> pd.Series:
    """Vectorised where the kind of the values allows it; the per-value rule is `_to_text`."""
    present = values.notna()
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "empty"):
        # Nulls set to None in the array itself: Series.where costs more per small file.
        cells = values.to_numpy(dtype=object, copy=True)
        cells[~present.to_numpy()] = None
        return pd.Series(cells, index=values.index, dtype=object)
    if kind == "integer":
        if values.dtype != object:
            return values.astype(str).astype(object).where(present, None)
        return values.map(str, na_action="ignore").astype(object).where(present, None)
    if kind in ("floating", "integer", "mixed-integer-float") and values.dtype != object:
        text = values.astype(str).astype(object)
        whole = present & (values % 1 == 0)
        text[whole] = values[whole].astype("int64").astype(str)
        return text.where(present, None)
    if kind == "boolean" and values.dtype == bool:
        return values.map({True: "true", False: "false"}).astype(object)
    return values.astype(object).where(present, None).map(_to_text)


def _to_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def content_hash(frame: pd.DataFrame) -> str:
    """A hash of the rows and columns (order included), independent of when they were read."""
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.columns)).encode("utf-8"))
    if len(frame):
        row_hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        digest.update(row_hashes.tobytes())
    return digest.hexdigest()


class RawZone:
    def __init__(self, root: Path) -> None:
        self.root = root

    def entity_dir(self, source: str, entity: str) -> Path:
        return self.root / source / entity

    def manifests(self, source: str, entity: str) -> list[BatchManifest]:
        directory = self.entity_dir(source, entity)
        return [BatchManifest.read(p) for p in sorted(directory.glob("*.manifest.json"))]

    def batch_files(self, source: str, entity: str) -> list[Path]:
        return [
            self.entity_dir(source, entity) / f"{m.batch_id}.parquet"
            for m in self.manifests(source, entity)
        ]

    def landed_source_files(self, source: str, entity: str) -> dict[str, BatchManifest]:
        """The batch each delivered file landed as, by file name."""
        return {m.source_file: m for m in self.manifests(source, entity) if m.source_file}

    def land(
        self,
        source: str,
        entity: str,
        frame: pd.DataFrame,
        *,
        batch_label: str,
        watermark_from: str | None = None,
        watermark_to: str | None = None,
        source_file: str | None = None,
        source_file_sha256: str | None = None,
        extracted_at: datetime | None = None,
    ) -> BatchManifest | None:
        """Write one batch; None when a batch with the same content is already there."""
        text = as_text_frame(frame)
        digest = content_hash(text)
        batch_id = f"{batch_label}_{digest[:12]}"
        directory = self.entity_dir(source, entity)
        manifest_path = directory / f"{batch_id}.manifest.json"
        # A batch held back for breaking its contract (minzheng.holds) is not landed again.
        held = self.quarantine_dir(source, entity) / "batches" / manifest_path.name
        if manifest_path.exists() or held.exists():
            return None
        directory.mkdir(parents=True, exist_ok=True)
        extracted_at = extracted_at or datetime.now(UTC)
        table = pa.Table.from_pandas(text, preserve_index=False, schema=_text_schema(text.columns))
        table = table.append_column("_batch_id", pa.array([batch_id] * len(text), pa.string()))
        table = table.append_column(
            "_extracted_at",
            pa.array([extracted_at] * len(text), pa.timestamp("us", tz="UTC")),
        )
        table = table.append_column(
            "_source_file", pa.array([source_file] * len(text), pa.string())
        )
        _atomic_write(directory / f"{batch_id}.parquet", lambda p: pq.write_table(table, p))
        manifest = BatchManifest(
            source=source,
            entity=entity,
            batch_id=batch_id,
            extracted_at=extracted_at.isoformat(),
            watermark_from=watermark_from,
            watermark_to=watermark_to,
            source_file=source_file,
            row_count=len(text),
            content_sha256=digest,
            columns=list(map(str, text.columns)),
            source_file_sha256=source_file_sha256,
        )
        # The manifest is written last: its presence is what makes a batch count as landed.
        _atomic_write(
            manifest_path,
            lambda p: p.write_text(
                json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8"
            ),
        )
        return manifest

    # -- watermarks ---------------------------------------------------------------------------

    @property
    def _watermark_path(self) -> Path:
        return self.root / "_state" / "watermarks.json"

    def watermark(self, source: str, entity: str) -> str | None:
        if not self._watermark_path.exists():
            return None
        state: dict[str, str] = json.loads(self._watermark_path.read_text(encoding="utf-8"))
        return state.get(f"{source}.{entity}")

    def set_watermark(self, source: str, entity: str, value: str) -> None:
        state: dict[str, str] = {}
        if self._watermark_path.exists():
            state = json.loads(self._watermark_path.read_text(encoding="utf-8"))
        state[f"{source}.{entity}"] = value
        self._watermark_path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(
            self._watermark_path,
            lambda p: p.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8"),
        )

    # -- quarantine of whole files ------------------------------------------------------------

    def quarantine_dir(self, source: str, entity: str) -> Path:
        return self.root / "_quarantine" / source / entity

    def quarantine_file(
        self, source: str, entity: str, source_file: str, error: str, retry_on: str | None = None
    ) -> None:
        record = QuarantinedFile(
            source=source,
            entity=entity,
            source_file=source_file,
            error=error,
            quarantined_at=datetime.now(UTC).isoformat(),
            retry_on=retry_on,
        )
        target = self._quarantine_record(source, entity, source_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(
            target,
            lambda p: p.write_text(
                json.dumps(asdict(record), ensure_ascii=False, indent=2), encoding="utf-8"
            ),
        )

    def release_quarantined_file(self, source: str, entity: str, source_file: str) -> None:
        self._quarantine_record(source, entity, source_file).unlink(missing_ok=True)

    def _quarantine_record(self, source: str, entity: str, source_file: str) -> Path:
        return self.quarantine_dir(source, entity) / f"{Path(source_file).name}.json"

    def quarantined_files(self, source: str, entity: str) -> list[QuarantinedFile]:
        directory = self.quarantine_dir(source, entity)
        return [
            QuarantinedFile(**json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(directory.glob("*.json"))
        ]


def _text_schema(columns: Iterable[object]) -> pa.Schema:
    return pa.schema([(str(c), pa.string()) for c in columns])


def _atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)

"""Land what a source client returns in the raw zone, once, with reconciliation figures.

Three shapes cover the four systems: an incremental window read (the HTTP API and the SQL
database, on an ``updated_at`` watermark) and a file drop (registry exports, the civil inbox).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from minzheng.raw_zone import BatchManifest, RawZone

# Large windows land in several batches so that memory stays bounded.
ROWS_PER_BATCH = 200_000


@dataclass
class ExtractResult:
    source: str
    entity: str
    rows_read: int = 0
    rows_landed: int = 0
    rows_already_landed: int = 0
    batches: list[BatchManifest] = field(default_factory=list)
    already_landed: int = 0
    quarantined_files: list[str] = field(default_factory=list)
    watermark: str | None = None

    @property
    def reconciled(self) -> bool:
        """Every row read was landed, now or by an earlier run of the same window."""
        return self.rows_read == self.rows_landed + self.rows_already_landed

    def metadata(self) -> dict[str, object]:
        return {
            "rows_read": self.rows_read,
            "rows_landed": self.rows_landed,
            "rows_already_landed": self.rows_already_landed,
            "reconciled": self.reconciled,
            "batches_landed": len(self.batches),
            "batches_already_landed": self.already_landed,
            "quarantined_files": len(self.quarantined_files),
            "watermark": self.watermark or "",
            "batch_ids": ", ".join(b.batch_id for b in self.batches),
        }


def extract_window(
    raw: RawZone,
    source: str,
    entity: str,
    chunks: Callable[[str | None], Iterable[pd.DataFrame]],
    *,
    updated_at_column: str = "updated_at",
) -> ExtractResult:
    """Read everything changed since the entity's watermark and land it in batches.

    ``chunks(watermark)`` yields frames of changed rows in ``updated_at`` order; the watermark
    moves to the latest ``updated_at`` landed, only after every batch of the window is written.
    """
    result = ExtractResult(source, entity)
    since = raw.watermark(source, entity)
    latest = since
    for part, frame in enumerate(_rebatch(chunks(since), ROWS_PER_BATCH)):
        result.rows_read += len(frame)
        window_to = str(frame[updated_at_column].max())
        label = f"w{_compact(since)}-{_compact(window_to)}-p{part:03d}"
        manifest = raw.land(
            source,
            entity,
            frame,
            batch_label=label,
            watermark_from=since,
            watermark_to=window_to,
        )
        if manifest is None:
            result.already_landed += 1
            result.rows_already_landed += len(frame)
        else:
            result.batches.append(manifest)
            result.rows_landed += manifest.row_count
        latest = max(latest, window_to) if latest else window_to
    if latest and latest != since:
        raw.set_watermark(source, entity, latest)
    result.watermark = latest
    return result


def extract_files(
    raw: RawZone,
    source: str,
    entity: str,
    files: Iterable[Path],
    read: Callable[[Path], pd.DataFrame],
    file_date: Callable[[Path], date],
    unparseable: tuple[type[Exception], ...],
    *,
    today: date,
) -> ExtractResult:
    """Land each new file as one batch, once. A file that cannot be landed is quarantined whole,
    with its name and reason: one that does not parse, one dated after ``today`` (looked at again
    on its date), and one whose bytes changed under a name already landed (the landed batch
    stays as it was)."""
    result = ExtractResult(source, entity)
    landed = raw.landed_source_files(source, entity)
    quarantined = {q.source_file: q for q in raw.quarantined_files(source, entity)}
    for path in files:
        record = quarantined.get(path.name)
        if record is not None and not (record.retry_on and record.retry_on <= today.isoformat()):
            result.already_landed += 1
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        batch = landed.get(path.name)
        if batch is not None:
            if batch.source_file_sha256 not in (None, digest):
                _quarantine(
                    raw,
                    result,
                    path,
                    f"changed after landing: its content differs from batch {batch.batch_id}, "
                    f"landed {batch.extracted_at[:19]}; the landed batch stays as it was",
                )
            else:
                result.already_landed += 1
            continue
        dated = file_date(path)
        if dated > today:
            _quarantine(
                raw,
                result,
                path,
                f"dated {dated}, after the day of this run ({today}): not landed before its date",
                retry_on=dated.isoformat(),
            )
            continue
        try:
            frame = read(path)
        except unparseable as error:
            _quarantine(raw, result, path, f"{type(error).__name__}: {error}")
            continue
        if record is not None:
            raw.release_quarantined_file(source, entity, path.name)
        result.rows_read += len(frame)
        manifest = raw.land(
            source,
            entity,
            frame,
            batch_label=f"{entity}_{dated:%Y%m%d}",
            source_file=path.name,
            source_file_sha256=digest,
        )
        if manifest is None:
            result.already_landed += 1
            result.rows_already_landed += len(frame)
        else:
            result.batches.append(manifest)
            result.rows_landed += manifest.row_count
    return result


def _quarantine(
    raw: RawZone, result: ExtractResult, path: Path, reason: str, retry_on: str | None = None
) -> None:
    raw.quarantine_file(result.source, result.entity, path.name, reason, retry_on=retry_on)
    result.quarantined_files.append(path.name)


def _rebatch(frames: Iterable[pd.DataFrame], rows: int) -> Iterator[pd.DataFrame]:
    buffer: list[pd.DataFrame] = []
    size = 0
    for frame in frames:
        if frame.empty:
            continue
        buffer.append(frame)
        size += len(frame)
        if size >= rows:
            yield pd.concat(buffer, ignore_index=True)
            buffer, size = [], 0
    if buffer:
        yield pd.concat(buffer, ignore_index=True)


def _compact(timestamp: str | None) -> str:
    if not timestamp:
        return "0"
    return "".join(ch for ch in timestamp if ch.isdigit())[:14]

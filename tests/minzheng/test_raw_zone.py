from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from minzheng.extract import ExtractResult, extract_files, extract_window
from minzheng.raw_zone import RawZone
from sources.civil_registry.client import file_date


def _frame(n: int, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": [f"SA{i:010d}" for i in range(start, start + n)],
            "amount": [12.5 * i for i in range(start, start + n)],
            "count": [i for i in range(start, start + n)],
            "note": [None if i % 2 else "x" for i in range(start, start + n)],
            "updated_at": [
                f"2024-01-{1 + i % 28:02d}T08:00:00+08:00" for i in range(start, start + n)
            ],
        }
    )


def test_a_batch_lands_once_as_text_with_metadata(tmp_path: Path) -> None:
    zone = RawZone(tmp_path)
    first = zone.land("sa", "cases", _frame(5), batch_label="w0")
    assert first is not None and first.row_count == 5
    assert zone.land("sa", "cases", _frame(5), batch_label="w0") is None
    [batch] = zone.batch_files("sa", "cases")
    table = pq.read_table(batch)
    assert table.column_names[-3:] == ["_batch_id", "_extracted_at", "_source_file"]
    rows = table.to_pylist()
    assert rows[1]["amount"] == "12.5" and rows[2]["count"] == "2"
    assert rows[1]["note"] is None and rows[0]["note"] == "x"
    assert {r["_batch_id"] for r in rows} == {first.batch_id}


def test_watermarks_persist_per_entity(tmp_path: Path) -> None:
    zone = RawZone(tmp_path)
    assert zone.watermark("sa", "cases") is None
    zone.set_watermark("sa", "cases", "2024-01-02T00:00:00+08:00")
    zone.set_watermark("ec", "institutions", "2024-02-01 00:00:00")
    again = RawZone(tmp_path)
    assert again.watermark("sa", "cases") == "2024-01-02T00:00:00+08:00"
    assert again.watermark("ec", "institutions") == "2024-02-01 00:00:00"


def test_window_extract_moves_the_watermark_and_is_idempotent(tmp_path: Path) -> None:
    zone = RawZone(tmp_path)
    source = _frame(30)
    seen_since: list[str | None] = []

    def chunks(since: str | None) -> list[pd.DataFrame]:
        seen_since.append(since)
        rows = source if since is None else source[source["updated_at"] > since]
        return [rows.iloc[i : i + 7] for i in range(0, len(rows), 7)]

    first = extract_window(zone, "sa", "cases", chunks)
    assert first.rows_read == first.rows_landed == 30 and first.reconciled
    assert first.watermark == source["updated_at"].max()
    second = extract_window(zone, "sa", "cases", chunks)
    assert second.rows_read == 0 and second.batches == []
    assert seen_since == [None, source["updated_at"].max()]
    landed = pd.concat(pd.read_parquet(p) for p in zone.batch_files("sa", "cases"))
    assert sorted(landed["case_id"]) == sorted(source["case_id"])


class DriftError(ValueError):
    pass


def test_file_extract_quarantines_a_drifted_file_and_lands_the_others(tmp_path: Path) -> None:
    zone = RawZone(tmp_path / "raw")
    files = [tmp_path / f"deaths_2024010{d}.csv" for d in (1, 2, 3)]
    for path in files:
        path.write_text("x", encoding="utf-8")

    def read(path: Path) -> pd.DataFrame:
        if path.name.endswith("02.csv"):
            raise DriftError(f"{path.name}: missing columns ['via_96444']")
        return _frame(4, start=int(path.stem[-1]) * 10)

    result = _extract_deaths(zone, files, read)
    assert result.rows_landed == 8 and result.quarantined_files == ["deaths_20240102.csv"]
    [record] = zone.quarantined_files("cr", "deaths")
    assert "via_96444" in record.error
    again = _extract_deaths(zone, files, read)
    assert again.rows_landed == 0 and again.already_landed == 3


TODAY = date(2025, 1, 2)


def _extract_deaths(
    zone: RawZone,
    files: list[Path],
    read: Callable[[Path], pd.DataFrame],
    today: date = TODAY,
) -> ExtractResult:
    return extract_files(zone, "cr", "deaths", files, read, file_date, (DriftError,), today=today)


def test_a_file_dated_after_the_run_waits_in_quarantine_until_its_day(tmp_path: Path) -> None:
    zone = RawZone(tmp_path / "raw")
    future = tmp_path / "deaths_20991231.csv"
    future.write_text("x", encoding="utf-8")
    result = _extract_deaths(zone, [future], lambda path: _frame(2))
    assert result.quarantined_files == [future.name] and result.rows_read == 0
    [record] = zone.quarantined_files("cr", "deaths")
    assert "dated 2099-12-31, after the day of this run (2025-01-02)" in record.error
    assert zone.manifests("cr", "deaths") == []
    # Seen again before its day it stays where it is; on its day it lands.
    assert _extract_deaths(zone, [future], lambda path: _frame(2)).quarantined_files == []
    on_its_day = _extract_deaths(zone, [future], lambda path: _frame(2), date(2099, 12, 31))
    assert on_its_day.rows_landed == 2 and zone.quarantined_files("cr", "deaths") == []


def test_a_file_changed_after_landing_is_quarantined_and_the_batch_kept(tmp_path: Path) -> None:
    zone = RawZone(tmp_path / "raw")
    day = tmp_path / "deaths_20250101.csv"
    day.write_text("first delivery", encoding="utf-8")
    first = _extract_deaths(zone, [day], lambda path: _frame(3))
    [batch] = first.batches
    landed = (zone.entity_dir("cr", "deaths") / f"{batch.batch_id}.parquet").read_bytes()
    day.write_text("other content under the same name", encoding="utf-8")
    changed = _extract_deaths(zone, [day], lambda path: _frame(5))
    assert changed.quarantined_files == [day.name] and changed.rows_read == 0
    [record] = zone.quarantined_files("cr", "deaths")
    assert record.error.startswith(
        f"changed after landing: its content differs from batch {batch.batch_id}"
    )
    assert [m.batch_id for m in zone.manifests("cr", "deaths")] == [batch.batch_id]
    assert (zone.entity_dir("cr", "deaths") / f"{batch.batch_id}.parquet").read_bytes() == landed
    # Told once: the next night neither lands it nor quarantines it again.
    later = _extract_deaths(zone, [day], lambda path: _frame(5))
    assert later.quarantined_files == [] and later.rows_landed == 0


def test_landing_rejects_nothing_silently(tmp_path: Path) -> None:
    zone = RawZone(tmp_path)
    with pytest.raises(KeyError):
        extract_window(zone, "sa", "cases", lambda since: [_frame(3).drop(columns="updated_at")])
    assert zone.watermark("sa", "cases") is None

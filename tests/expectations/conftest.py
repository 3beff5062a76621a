"""Small raw-zone-like parquet batches (all VARCHAR, as the raw zone lands them)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sources.common.regions import COUNTIES
from sources.common.registry import RAW_METADATA, entities

COUNTY = next(iter(COUNTIES))
DEATH_COLUMNS = entities("civil_registry")["deaths"].column_names


def death_rows(count: int, start: int = 0) -> pd.DataFrame:
    rows = [
        {
            "death_record_id": f"D{i:09d}",
            "record_version": "1",
            "deceased_id_number": f"321202194001{i:06d}",
            "deceased_name": "张三",
            "sex": "男" if i % 2 else "女",
            "birth_date": "1940-01-01",
            "death_date": "2025-03-01",
            "registration_date": "2025-03-02",
            "registration_county_code": COUNTY,
            "cremated": "是",
            "via_96444": "否",
            "funeral_home": "泰州殡仪馆",
            "_batch_id": "b1",
            "_extracted_at": "2025-03-03T00:00:00",
            "_source_file": "deaths_20250302.csv",
        }
        for i in range(start, start + count)
    ]
    frame = pd.DataFrame(rows, columns=[*DEATH_COLUMNS, *RAW_METADATA])
    return frame


def write_batch(frame: pd.DataFrame, path: Path) -> Path:
    schema = pa.schema([(c, pa.string()) for c in frame.columns])
    pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), path)
    return path


@pytest.fixture
def clean_deaths(tmp_path: Path) -> list[Path]:
    return [
        write_batch(death_rows(50), tmp_path / "b1.parquet"),
        write_batch(death_rows(50, start=50), tmp_path / "b2.parquet"),
    ]


@pytest.fixture
def dirty_deaths(tmp_path: Path) -> list[Path]:
    """Regex, set, null and uniqueness failures, in two batches."""
    first = death_rows(40)
    second = death_rows(40, start=40)
    first.loc[0:2, "death_date"] = "2025/03/01"  # 3 regex failures
    first.loc[3, "record_version"] = "v2"  # 1 regex failure
    second.loc[0, "registration_county_code"] = "999999"  # blocking set failure
    second.loc[1:4, "sex"] = "未知"  # warning set failure
    second.loc[5, "death_record_id"] = None  # null key
    second.loc[6, "death_record_id"] = "D000000007"  # duplicate of first's row 7
    return [
        write_batch(first, tmp_path / "d1.parquet"),
        write_batch(second, tmp_path / "d2.parquet"),
    ]

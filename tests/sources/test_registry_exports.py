"""The registry's social-participation exports: files, parsing, encodings, damage, dirt."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from minzheng.extract import extract_files
from minzheng.raw_zone import RawZone
from sources.common.files import SchemaDriftError
from sources.social_org_registry.client import (
    EXPORT_COLUMNS,
    SHEETS,
    EncodingDamageError,
    export_date,
    list_exports,
    read_export,
)
from sources.social_org_registry.simulator import damage_encoding

NEW_ENTITIES = [
    "annual_inspections",
    "charity_branches",
    "social_worker_selections",
    "flagship_projects",
    "community_service_brands",
]


def _drop(simulated: dict[str, Any]) -> Path:
    return simulated["dir"] / "social_org_registry" / "drop"


@pytest.mark.parametrize("entity", NEW_ENTITIES)
def test_every_month_end_has_a_full_export(simulated: dict[str, Any], entity: str) -> None:
    files = list_exports(_drop(simulated), entity)
    assert len(files) == 24
    assert export_date(files[-1]) == date(2024, 12, 31)
    rows = 0
    for path in files:
        frame = read_export(path, entity)
        assert list(frame.columns) == EXPORT_COLUMNS[entity]
        assert all(v is None or isinstance(v, str) for v in frame.to_numpy().ravel())
        rows += len(frame)
    assert rows == simulated["counts"]["social_org_registry"][entity]


def test_csv_exports_are_gbk_and_xlsx_use_their_sheet(simulated: dict[str, Any]) -> None:
    drop = _drop(simulated)
    for entity in ("annual_inspections", "flagship_projects"):
        path = list_exports(drop, entity)[-1]
        path.read_bytes().decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    for entity in ("charity_branches", "social_worker_selections", "community_service_brands"):
        book = load_workbook(list_exports(drop, entity)[-1], read_only=True)
        assert book.sheetnames == [SHEETS[entity]]
        book.close()


def test_inspections_list_last_year_from_january(simulated: dict[str, Any]) -> None:
    drop = _drop(simulated)
    january = read_export(drop / "社会组织年检_20240131.csv", "annual_inspections")
    assert set(january["年检年度"]) == {"2022", "2023"}
    december = read_export(drop / "社会组织年检_20241231.csv", "annual_inspections")
    latest = december[december["年检年度"] == "2023"]
    required = latest[latest["是否应参检"] == "是"]
    share = (required["是否已报送"] == "是").mean()
    assert 0.5 < share < 1.0
    submitted = latest[latest["是否已报送"] == "是"]
    assert submitted["报送日期"].notna().all()
    assert (submitted["报送日期"] >= "2024-01-01").all()
    assert set(latest["年检结论"].dropna()) <= {"合格", "基本合格", "不合格"}


def test_duplicated_selections_are_recorded(simulated: dict[str, Any]) -> None:
    dups = simulated["injected"]["social_org_registry"]["duplicate_social_worker_selections"]
    frame = read_export(
        list_exports(_drop(simulated), "social_worker_selections")[-1], "social_worker_selections"
    )
    assert set(frame["选拔类别"]) == {"全科社工", "金牌社工"}
    listed = frame[frame["选拔编号"].isin(dups["keys"])]
    assert len(listed) == dups["count"]
    # Each duplicate is a person already listed under another number.
    others = frame[~frame["选拔编号"].isin(dups["keys"])]
    assert listed["身份证号"].isin(set(others["身份证号"])).all()


def _inspection_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [["51321202MJ0000001X", "海陵区书法协会", "321202", "2023", "是", "是", "2024-03-01",
          "合格", "2024-03-20"]],
        columns=EXPORT_COLUMNS["annual_inspections"],
    )  # fmt: skip


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_inspection_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "社会组织年检_20240131.csv"
    _inspection_frame().to_csv(path, index=False, encoding=encoding)
    frame = read_export(path, "annual_inspections")
    assert frame.iloc[0]["社会组织名称"] == "海陵区书法协会"
    assert frame.iloc[0]["年检结论"] == "合格"


def test_corrupted_bytes_raise_encoding_damage(tmp_path: Path) -> None:
    path = tmp_path / "社会组织年检_20240131.csv"
    pd.concat([_inspection_frame()] * 4).to_csv(path, index=False, encoding="gbk")
    damage_encoding(path)
    with pytest.raises(EncodingDamageError) as err:
        read_export(path, "annual_inspections")
    assert isinstance(err.value, SchemaDriftError)
    assert err.value.path == path
    assert "encoding damage in 社会组织年检_20240131.csv" in str(err.value)


def test_mojibake_with_replacement_characters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "五美驿站精品项目_20240131.csv"
    header = ",".join(EXPORT_COLUMNS["flagship_projects"])
    row = "WM000001,\ufffd\ufffd精品项目,五美驿站,某中心,321202,321202001000,2024-01-10,,已立项"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(EncodingDamageError, match="U\\+FFFD"):
        read_export(path, "flagship_projects")


def test_utf8_export_read_as_gbk_headers_drift(tmp_path: Path) -> None:
    """Mojibake in the header (UTF-8 bytes re-encoded as GBK text) is schema drift."""
    path = tmp_path / "社会组织年检_20240131.csv"
    text = _inspection_frame().to_csv(index=False)
    garbled = text.encode("utf-8").decode("gbk", errors="ignore")
    path.write_bytes(garbled.encode("gbk", errors="ignore"))
    with pytest.raises(SchemaDriftError):
        read_export(path, "annual_inspections")


def test_extract_quarantines_a_damaged_export_whole(
    simulated: dict[str, Any], tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for path in list_exports(_drop(simulated), "annual_inspections")[:3]:
        shutil.copy(path, drop / path.name)
    damaged = list_exports(drop, "annual_inspections")[1]
    damage_encoding(damaged)
    raw = RawZone(tmp_path / "raw")
    result = extract_files(
        raw,
        "social_org_registry",
        "annual_inspections",
        list_exports(drop, "annual_inspections"),
        lambda path: read_export(path, "annual_inspections"),
        export_date,
        (SchemaDriftError,),
        today=date.today(),
    )
    assert result.quarantined_files == [damaged.name]
    assert len(result.batches) == 2
    assert result.reconciled
    [record] = raw.quarantined_files("social_org_registry", "annual_inspections")
    assert record.source_file == damaged.name
    assert "encoding damage" in record.error

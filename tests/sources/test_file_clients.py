from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from sources.civil_registry.client import (
    ENTITY_COLUMNS,
    file_date,
    list_inbox_files,
    read_daily_file,
)
from sources.common.files import SchemaDriftError
from sources.social_org_registry.client import (
    EXPORT_COLUMNS,
    export_date,
    list_exports,
    read_export,
)


def test_registry_exports_parse(simulated: dict[str, Any]) -> None:
    drop = simulated["dir"] / "social_org_registry" / "drop"
    orgs = list_exports(drop, "organizations")
    grades = list_exports(drop, "evaluation_grades")
    assert len(orgs) == len(grades) == 24
    assert [export_date(p) for p in orgs] == sorted(export_date(p) for p in orgs)
    assert export_date(orgs[-1]) == date(2024, 12, 31)
    frame = read_export(orgs[-1], "organizations")
    assert list(frame.columns) == EXPORT_COLUMNS["organizations"]
    assert set(frame["登记状态"]) <= {"正常", "注销", "撤销"}
    assert frame["登记管理机关代码"].str.fullmatch(r"\d{6}").all()
    assert all(v is None or isinstance(v, str) for v in frame.to_numpy().ravel())
    assert frame.loc[frame["登记状态"] == "正常", "注销撤销日期"].isna().all()
    grade = read_export(grades[-1], "evaluation_grades")
    assert list(grade.columns) == EXPORT_COLUMNS["evaluation_grades"]
    assert set(grade["评估等级"]) <= {"1A", "2A", "3A", "4A", "5A"}
    assert grades[-1].read_bytes().decode("gbk")  # really GBK


def _grades_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [["51321200MJ0000001X", "泰州市书法协会", "4A", "812", "2022-05-01", "2027-05-01"]],
        columns=EXPORT_COLUMNS["evaluation_grades"],
    )


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_grade_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "社会组织评估等级_20240131.csv"
    _grades_frame().to_csv(path, index=False, encoding=encoding)
    frame = read_export(path, "evaluation_grades")
    assert frame.iloc[0]["社会组织名称"] == "泰州市书法协会"
    assert frame.iloc[0]["评估得分"] == "812"


def test_csv_schema_drift(tmp_path: Path) -> None:
    path = tmp_path / "社会组织评估等级_20240131.csv"
    _grades_frame().rename(columns={"评估得分": "得分"}).to_csv(path, index=False, encoding="gbk")
    with pytest.raises(SchemaDriftError) as err:
        read_export(path, "evaluation_grades")
    assert err.value.missing == ["评估得分"]
    assert err.value.unexpected == ["得分"]
    assert err.value.path == path
    assert "评估得分" in str(err.value)


def test_xlsx_schema_drift(tmp_path: Path) -> None:
    path = tmp_path / "社会组织名录_20240131.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "社会组织名录"
    sheet.append([*EXPORT_COLUMNS["organizations"][:-1], "备注"])
    sheet.append(["x"] * len(EXPORT_COLUMNS["organizations"]))
    book.save(path)
    with pytest.raises(SchemaDriftError) as err:
        read_export(path, "organizations")
    assert err.value.missing == ["联系电话"] and err.value.unexpected == ["备注"]


def test_xlsx_row_without_its_empty_trailing_cells(tmp_path: Path) -> None:
    columns = EXPORT_COLUMNS["organizations"]
    path = tmp_path / "社会组织名录_20240131.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "社会组织名录"
    sheet.append(columns)
    sheet.append(["x"] * len(columns))
    sheet.append(["y"] * (len(columns) - 2))  # the sheet stores no cells for the empty tail
    book.save(path)
    frame = read_export(path, "organizations")
    assert len(frame) == 2
    assert frame.iloc[1, :-2].tolist() == ["y"] * (len(columns) - 2)
    assert frame.iloc[1, -2:].isna().all()


def test_civil_inbox(simulated: dict[str, Any]) -> None:
    inbox = simulated["dir"] / "civil_registry" / "inbox"
    files = list_inbox_files(inbox, "deaths")
    assert len(files) == 731
    assert file_date(files[0]) == date(2023, 1, 1)
    bom_names = simulated["injected"]["civil_registry"]["bom_files"]["files"]
    death_boms = [name for name in bom_names if name.startswith("deaths/")]
    assert death_boms, "some files carry a BOM"
    bom = inbox / death_boms[0]
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = read_daily_file(bom, "deaths")
    assert list(frame.columns) == ENTITY_COLUMNS["deaths"]
    assert (
        frame["registration_date"].isin([file_date(bom).isoformat()])
        | (frame["record_version"] != "1")
    ).all()


def test_corrections_come_later_with_a_higher_version(simulated: dict[str, Any]) -> None:
    inbox = simulated["dir"] / "civil_registry" / "inbox"
    frames = [
        read_daily_file(p, "deaths").assign(_day=file_date(p))
        for p in list_inbox_files(inbox, "deaths")
    ]
    deaths = pd.concat(frames, ignore_index=True)
    corrected = simulated["injected"]["civil_registry"]["corrected_deaths"]["keys"]
    assert corrected
    versions = deaths[deaths["death_record_id"].isin(corrected)].sort_values(
        ["death_record_id", "record_version"]
    )
    for _, group in versions.groupby("death_record_id"):
        assert list(group["record_version"]) == ["1", "2"]
        assert group["_day"].iloc[1] > group["_day"].iloc[0]


def test_civil_schema_drift(tmp_path: Path) -> None:
    folder = tmp_path / "deaths"
    folder.mkdir()
    path = folder / "deaths_20240105.csv"
    path.write_text(",".join([*ENTITY_COLUMNS["deaths"][1:], "extra"]) + "\n", encoding="utf-8-sig")
    assert list_inbox_files(tmp_path, "deaths") == [path]
    with pytest.raises(SchemaDriftError) as err:
        read_daily_file(path, "deaths")
    assert err.value.missing == ["death_record_id"] and err.value.unexpected == ["extra"]

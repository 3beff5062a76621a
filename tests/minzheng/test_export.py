from __future__ import annotations

import csv
import hashlib
import json
import re
import time
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from minzheng.export import Quarter, export_quarter

REGIONS = [
    ("321200", "泰州市", "city"),
    ("321202", "海陵区", "county"),
    ("321203", "高港区", "county"),
]


# The build states these (kpi.kpi_status_rules); the export prints them as served.
NO_DATA_RULE = "分母为0时为无数据"
SMALL_CELL_RULE = "涉及儿童少于5人的区县数据不公开，全市合计照常公布"


def _serving(path: Path) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema kpi")
        connection.execute("create schema serving")
        connection.execute("create schema conformed")
        connection.execute(
            "create table conformed.dim_region as select '321200' as region_code,"
            " '泰州市' as region_name, 'city' as region_level, '泰州市民政局' as bureau_name"
        )
        connection.execute(
            "create table serving.publication as select 'run-1' as run_id,"
            " timestamp '2025-01-01 02:00:00' as published_at, 'digest' as figures_digest"
        )
        connection.execute(
            "create table kpi.kpi_status_rules as select * from (values"
            f" ('无数据', '{NO_DATA_RULE}'), ('不公开', '{SMALL_CELL_RULE}')) as t(status, rule_zh)"
        )
        connection.execute(
            """
            create table kpi.kpi_catalog as select * from (values
                (2024, 1, 'SA01', 'SA', '社会救助暖心行动', '临时救助急难发生地直接实施率', 'ratio'),
                (2024, 7, 'EC01', 'EC', '养老服务提质行动', '新建街道综合养老服务中心', 'count'),
                (2024, 2, 'SA02', 'SA', '社会救助暖心行动', '残疾人两项补贴精准发放率', 'ratio')
            ) as t(plan_year, catalog_order, kpi_code, action_line, action_line_zh, kpi_name_zh, unit)
            """
        )
        rows = []
        for month in (9, 12):
            for code, name, level in REGIONS:
                rows.append(
                    ("SA01", f"2024-{month:02d}-01", code, name, level, 0.9, 1.0, "滞后", 0.75)
                )
            rows.append(
                (
                    "EC01",
                    f"2024-{month:02d}-01",
                    "321200",
                    "泰州市",
                    "city",
                    5.0,
                    6.0,
                    "序时达标",
                    8,
                )
            )
        connection.execute(
            """
            create table kpi.kpi_progress (
                kpi_code varchar, period_month date, region_code varchar, region_name varchar,
                region_level varchar, actual_value double, target_value double,
                attainment_ratio double, status varchar, actual_value_last_year double,
                year_on_year_change double, data_as_of date
            )
            """
        )
        connection.executemany(
            "insert into kpi.kpi_progress values"
            " (?, ?, ?, ?, ?, ?, ?, ? / ?, ?, ?, ? - ?, '2024-12-31')",
            [(*r[:7], r[5], r[6], r[7], r[8], r[5], r[8]) for r in rows],
        )


def test_quarter_export_reads_back_and_is_reproducible(tmp_path: Path) -> None:
    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    result = export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q4"))
    assert result.directory == tmp_path / "exports" / "2024Q4"

    book = load_workbook(result.workbook)
    assert book.sheetnames == ["封面", "社会救助暖心行动", "养老服务提质行动"]
    cover = {row[0]: row[1] for row in book["封面"].iter_rows(values_only=True) if row[0]}
    assert cover["报告期"] == "2024年第4季度" and cover["运行编号"] == "run-1"
    sheet = book["社会救助暖心行动"]
    assert sheet.freeze_panes == "E4"
    assert [c.value for c in sheet[2]][4] == "泰州市"
    assert [c.value for c in sheet[3]][4:10] == [
        "实际值",
        "目标值",
        "完成率",
        "状态",
        "上年同期",
        "同比增减",
    ]
    assert [c.value for c in sheet[2]][10] == "海陵区"
    sa01, sa02 = list(sheet.iter_rows(min_row=4, values_only=True))
    assert sa01[1:3] == ("SA01", "临时救助急难发生地直接实施率") and sa01[4:10] == (
        0.9,
        1.0,
        0.9,
        "滞后",
        0.75,
        15.0,  # 0.75 → 0.9: 15 percentage points
    )
    # A KPI of the plan without a measure is listed, with no figures: not silently missing.
    assert sa02[1] == "SA02" and sa02[4] is None and sa02[7] == "—"
    assert sheet.cell(row=4, column=5).number_format == "0.0%"
    assert sheet.cell(row=4, column=10).number_format.startswith('+0.0"个百分点"')
    ec01 = next(book["养老服务提质行动"].iter_rows(min_row=4, values_only=True))
    assert ec01[4:10] == (5.0, 6.0, 5.0 / 6.0, "序时达标", 8.0, -3.0)

    csv_bytes = result.csv.read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(csv_bytes.decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["行动", "指标编码"] and len(rows) == 1 + 4
    assert rows[0][-3:] == ["上年同期", "同比增减", "报告月份"]
    assert [r[-3:-1] for r in rows[1:] if r[1] == "SA01"] == [["0.75", "0.15"]] * 3
    assert {r[-1] for r in rows[1:]} == {"2024-12"}

    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        data = (result.directory / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]

    # Regenerated later, byte for byte the same files: nothing in them comes from the clock.
    workbook_bytes, manifest_bytes = result.workbook.read_bytes(), result.manifest.read_bytes()
    time.sleep(2.1)  # past the two-second resolution of zip entry times
    again = export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q4"))
    assert again.csv.read_bytes() == csv_bytes
    assert again.workbook.read_bytes() == workbook_bytes
    assert again.manifest.read_bytes() == manifest_bytes
    text = "\n".join(",".join(r) for r in rows)
    assert not re.search(r"\d{17}[\dXx]|1[3-9]\d{9}", text)


def test_a_past_quarter_is_stated_as_of_its_last_day(tmp_path: Path) -> None:
    """Written on 2024-12-31 data, the third quarter's report is as of 2024-09-30, not the day
    the serving file was built; 运行编号 is the run that published the serving file."""
    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    result = export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q3"))
    cover = {
        row[0]: row[1]
        for row in load_workbook(result.workbook)["封面"].iter_rows(values_only=True)
        if row[0]
    }
    assert cover["数据截至"] == "2024-09-30" and cover["运行编号"] == "run-1"
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["data_as_of"] == "2024-09-30" and manifest["run_id"] == "run-1"


def test_a_quarter_without_figures_is_a_clear_error(tmp_path: Path) -> None:
    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    with pytest.raises(ValueError, match="no KPI figures for 2023Q1"):
        export_quarter(serving, tmp_path / "exports", Quarter.parse("2023Q1"))
    with pytest.raises(ValueError, match="2024Q4"):
        Quarter.parse("2024-Q4")


def test_withheld_and_no_data_cells_are_exported_as_such_with_the_rule(tmp_path: Path) -> None:
    """kpi_progress withholds small cells about children (不公开, no figures) and marks 0 of 0 as
    无数据: the workbook and the CSV carry exactly that, and the cover and manifest state both rules."""
    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    with duckdb.connect(str(serving)) as connection:
        connection.execute(
            "update kpi.kpi_progress set actual_value = null, attainment_ratio = null,"
            " year_on_year_change = null, status = '不公开'"
            " where kpi_code = 'SA01' and region_code = '321203'"
        )
        connection.execute(
            "update kpi.kpi_progress set actual_value = null, attainment_ratio = null,"
            " year_on_year_change = null, status = '无数据'"
            " where kpi_code = 'SA01' and region_code = '321202'"
        )
    result = export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q4"))

    book = load_workbook(result.workbook)
    cover = {row[0]: row[1] for row in book["封面"].iter_rows(values_only=True) if row[0]}
    assert cover["不公开"] == SMALL_CELL_RULE and cover["无数据"] == NO_DATA_RULE
    sa01 = next(book["社会救助暖心行动"].iter_rows(min_row=4, values_only=True))
    city, hailing, gaogang = sa01[4:10], sa01[10:16], sa01[16:22]
    assert city == (0.9, 1.0, 0.9, "滞后", 0.75, 15.0)
    assert hailing == (None, 1.0, None, "无数据", 0.75, None)
    assert gaogang == (None, 1.0, None, "不公开", 0.75, None)

    rows = list(csv.reader(result.csv.read_text(encoding="utf-8-sig").splitlines()))
    by_region = {r[4]: r for r in rows[1:] if r[1] == "SA01"}
    assert by_region["321203"][6:10] == ["", "1", "", "不公开"]
    assert by_region["321202"][6:10] == ["", "1", "", "无数据"]
    assert by_region["321200"][9] == "滞后"
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["notes"] == {"无数据": NO_DATA_RULE, "不公开": SMALL_CELL_RULE}


def test_each_quarter_follows_the_plan_of_its_year(tmp_path: Path) -> None:
    """A 2025 plan beside 2024's: 2025Q1 lists the 2025 plan's KPIs (a new target, a KPI without
    a measure shown as such, a dropped KPI gone) with 同比 against 2024; 2024Q4 keeps 2024's plan."""
    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    with duckdb.connect(str(serving)) as connection:
        connection.execute(
            """
            insert into kpi.kpi_catalog values
                (2025, 1, 'SA01', 'SA', '社会救助暖心行动', '临时救助急难发生地直接实施率', 'ratio'),
                (2025, 3, 'SA09', 'SA', '社会救助暖心行动', '尚无度量的新指标', 'ratio')
            """
        )
        connection.execute(
            "insert into kpi.kpi_progress select kpi_code, period_month + interval 6 month,"
            " region_code, region_name, region_level, 0.95, 0.98, 0.95 / 0.98, '滞后', 0.9, 0.05,"
            " '2025-03-31' from kpi.kpi_progress"
            " where kpi_code = 'SA01' and period_month = '2024-09-01'"
        )
    result = export_quarter(serving, tmp_path / "exports", Quarter.parse("2025Q1"))
    sheets = load_workbook(result.workbook)
    assert sheets.sheetnames == ["封面", "社会救助暖心行动"]
    sa01, sa09 = list(sheets["社会救助暖心行动"].iter_rows(min_row=4, values_only=True))
    assert sa01[1] == "SA01" and sa01[4:10] == (0.95, 0.98, 0.95 / 0.98, "滞后", 0.9, 5.0)
    assert sa09[1:3] == ("SA09", "尚无度量的新指标") and sa09[7] == "—"
    earlier = load_workbook(
        export_quarter(serving, tmp_path / "q4", Quarter.parse("2024Q4")).workbook
    )
    assert earlier.sheetnames == ["封面", "社会救助暖心行动", "养老服务提质行动"]


def test_the_reporting_bureau_is_the_city_the_figures_are_of(tmp_path: Path) -> None:
    """Title, file names and manifest name the city of the served rows, 填报单位 its bureau as the
    city profile names it (dim_region's city row): another city's serving file gives its own
    bureau's report with no code change."""
    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    taizhou = export_quarter(serving, tmp_path / "taizhou", Quarter.parse("2024Q4"))
    cover = [row for row in load_workbook(taizhou.workbook)["封面"].iter_rows(values_only=True)]
    assert cover[0][0] == "泰州市民政五大行动指标季度报表"
    assert ("填报单位", "泰州市民政局") in [row[:2] for row in cover]
    assert taizhou.workbook.name == "泰州市民政五大行动指标季报_2024Q4.xlsx"
    with duckdb.connect(str(serving)) as connection:
        connection.execute(
            "update kpi.kpi_progress set region_code = '321000', region_name = '扬州市'"
            " where region_level = 'city'"
        )
        connection.execute(
            "update conformed.dim_region set region_code = '321000', region_name = '扬州市',"
            " bureau_name = '扬州市民政局'"
        )
    other = export_quarter(serving, tmp_path / "yangzhou", Quarter.parse("2024Q4"))
    sheets = load_workbook(other.workbook)
    assert sheets["封面"]["A1"].value == "扬州市民政五大行动指标季度报表"
    assert sheets.properties.creator == "扬州市民政局"
    assert [c.value for c in sheets["社会救助暖心行动"][2]][4] == "扬州市"
    manifest = json.loads(other.manifest.read_text(encoding="utf-8"))
    assert manifest["reporting_unit"] == "扬州市民政局"
    assert other.csv.name == "扬州市民政五大行动指标季报_2024Q4.csv"

"""The provincial quarterly report: a workbook, a CSV of the same figures and a manifest.

Figures come from the published serving file only; the layout is presentation, the numbers are
the warehouse's (``minzheng/sql/quarter_report.sql``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from minzheng.publish import publication

_SQL = Path(__file__).with_name("sql") / "quarter_report.sql"
_HELD_SQL = Path(__file__).with_name("sql") / "quarter_held_kpis.sql"
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
# Per region: the figures, then the same month of last year and the change (同比).
_VALUE_COLUMNS = ("实际值", "目标值", "完成率", "状态", "上年同期", "同比增减")
_WIDTH = len(_VALUE_COLUMNS)
# 运行编号 of a serving file published before files said which run published them.
RUN_NOT_RECORDED = "未记录"


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip().upper())
        if not match:
            raise ValueError(f"quarter must look like 2024Q4, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label_zh(self) -> str:
        return f"{self.year}年第{self.number}季度"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return (pd.Timestamp(self.start) + pd.offsets.QuarterEnd(0)).date()


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    workbook: Path
    csv: Path
    manifest: Path
    rows: int


@dataclass(frozen=True)
class HeldKpi:
    kpi_code: str
    figures_as_of: str
    reason: str

    def describe(self) -> str:
        return f"{self.kpi_code} (figures of {self.figures_as_of}): {self.reason}"


class HeldKpisError(Exception):
    """The quarter has held KPIs: the province would receive stale figures without a word."""

    def __init__(self, quarter: Quarter, held: list[HeldKpi]) -> None:
        self.quarter, self.held = quarter, held
        listed = "; ".join(kpi.describe() for kpi in held)
        super().__init__(
            f"{quarter.label} has {len(held)} held KPIs (数据暂停更新): {listed}. "
            "Export them anyway, listed on the cover, with --allow-held."
        )


def held_kpis(serving: Path, quarter: Quarter) -> list[HeldKpi]:
    """The quarter's KPIs whose published figures are held (none in a file without the column)."""
    with duckdb.connect(str(serving), read_only=True) as connection:
        present = connection.execute(
            "select count(*) from information_schema.columns where table_schema = 'kpi' "
            "and table_name = 'kpi_progress' and column_name = 'figures_status'"
        ).fetchone()
        if not present or not present[0]:
            return []
        rows = connection.execute(
            _HELD_SQL.read_text(encoding="utf-8"),
            {"quarter_start": quarter.start.isoformat(), "quarter_end": quarter.end.isoformat()},
        ).fetchall()
    return [HeldKpi(str(code), str(as_of)[:10], str(reason)) for code, as_of, reason in rows]


def status_rules(serving: Path) -> dict[str, str]:
    """The rules behind the statuses that are not a comparison with the target (无数据, 不公开),
    as the build states them (kpi.kpi_status_rules), to print beside the figures they explain."""
    with duckdb.connect(str(serving), read_only=True) as connection:
        rows = connection.execute(
            "select status, rule_zh from kpi.kpi_status_rules order by status"
        ).fetchall()
    return {str(status): str(rule) for status, rule in rows}


def read_quarter_figures(serving: Path, quarter: Quarter) -> pd.DataFrame:
    with duckdb.connect(str(serving), read_only=True) as connection:
        return connection.execute(
            _SQL.read_text(encoding="utf-8"),
            {"quarter_start": quarter.start.isoformat(), "quarter_end": quarter.end.isoformat()},
        ).df()


def export_quarter(
    serving: Path, exports_dir: Path, quarter: Quarter, *, allow_held: bool = False
) -> ExportResult:
    """The quarter's report; refused (HeldKpisError) while a KPI of the quarter is held, unless
    ``allow_held``: then the cover sheet lists the held KPIs with the date of their figures.

    The same serving file gives the same bytes: the run named is the one that published it, and
    every date in the files is the data's, not the clock's."""
    held = held_kpis(serving, quarter)
    if held and not allow_held:
        raise HeldKpisError(quarter, held)
    figures = read_quarter_figures(serving, quarter)
    if figures["region_code"].isna().all():
        raise ValueError(f"the serving file has no KPI figures for {quarter.label}")
    data_as_of = str(figures["data_as_of"].dropna().max())[:10]
    published = publication(serving)
    run_id = published.run_id if published else RUN_NOT_RECORDED
    staging = exports_dir / f".{quarter.label}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    city, bureau = reporting_city(serving)
    stem = f"{city}民政五大行动指标季报_{quarter.label}"
    workbook = staging / f"{stem}.xlsx"
    csv_path = staging / f"{stem}.csv"
    rules = status_rules(serving)
    _write_workbook(figures, city, bureau, quarter, data_as_of, run_id, workbook, rules, held)
    csv_rows = _write_csv(figures, csv_path)
    files = [
        {"name": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p), "rows": rows}
        for p, rows in ((workbook, csv_rows), (csv_path, csv_rows))
    ]
    manifest = staging / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "reporting_unit": bureau,
                "quarter": quarter.label,
                "period_month": str(figures["period_month"].dropna().max())[:10],
                "data_as_of": data_as_of,
                "run_id": run_id,
                "notes": rules,
                "files": files,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    target = exports_dir / quarter.label
    _replace_directory(staging, target)
    return ExportResult(
        target, target / workbook.name, target / csv_path.name, target / manifest.name, csv_rows
    )


def reporting_city(serving: Path) -> tuple[str, str]:
    """The city the figures are of and its civil-affairs bureau, the reporting unit, as the city
    profile names them (dim_region's city row)."""
    with duckdb.connect(str(serving), read_only=True) as connection:
        rows = connection.execute(
            "select region_name, bureau_name from conformed.dim_region where region_level = 'city'"
        ).fetchall()
    if len(rows) != 1 or not all(rows[0]):
        raise ValueError(f"the serving file names {len(rows)} cities, expected one with a bureau")
    return str(rows[0][0]), str(rows[0][1])


def _regions(figures: pd.DataFrame) -> list[tuple[str, str]]:
    regions = figures.dropna(subset=["region_code"])
    unique = regions[["region_level", "region_code", "region_name"]].drop_duplicates()
    # The city column comes first, as in the bureau's own tables, then the districts by code.
    ordered = sorted(
        unique.itertuples(index=False, name=None), key=lambda row: (row[0] != "city", row[1])
    )
    return [(code, name) for _, code, name in ordered]


def _write_workbook(
    figures: pd.DataFrame,
    city: str,
    bureau: str,
    quarter: Quarter,
    data_as_of: str,
    run_id: str,
    path: Path,
    rules: dict[str, str],
    held: list[HeldKpi] | None = None,
) -> None:
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "封面"
    cover_rows = [
        (f"{city}民政五大行动指标季度报表",),
        ("填报单位", bureau),
        ("报告期", quarter.label_zh),
        ("数据截至", data_as_of),
        ("运行编号", run_id),
        (
            "说明",
            "比率类指标按分子、分母汇总计算;累计类指标为年初至报告期末累计值;"
            "同比为与上年同月相比,比率类以百分点计。",
        ),
        *[
            ("暂停更新指标", f"{kpi.kpi_code}: 数据截至 {kpi.figures_as_of}; 原因: {kpi.reason}")
            for kpi in held or []
        ],
        *rules.items(),
    ]
    for row in cover_rows:
        cover.append(list(row))
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 14
    cover.column_dimensions["B"].width = 60

    regions = _regions(figures)
    lines = figures[["action_line", "action_line_zh"]].drop_duplicates()
    for action_line, action_line_zh in lines.itertuples(index=False, name=None):
        sheet = book.create_sheet(title=str(action_line_zh))
        rows = figures[figures["action_line"] == action_line]
        sheet.append([f"{action_line_zh}({quarter.label_zh},数据截至{data_as_of})"])
        header = ["序号", "指标编码", "指标名称", "单位"]
        sub_header = ["", "", "", ""]
        for _, region_name in regions:
            header += [region_name, *[""] * (_WIDTH - 1)]
            sub_header += list(_VALUE_COLUMNS)
        sheet.append(header)
        sheet.append(sub_header)
        for column in range(5, 5 + _WIDTH * len(regions), _WIDTH):
            sheet.merge_cells(
                start_row=2, start_column=column, end_row=2, end_column=column + _WIDTH - 1
            )
        for index, (kpi_code, kpi_rows) in enumerate(rows.groupby("kpi_code", sort=False), 1):
            first = kpi_rows.iloc[0]
            by_region = kpi_rows.set_index("region_code")
            line: list[object] = [index, kpi_code, first["kpi_name_zh"], _unit_zh(first["unit"])]
            for region_code, _ in regions:
                if region_code in by_region.index:
                    cell = by_region.loc[region_code]
                    line += [
                        _number(cell["actual_value"]),
                        _number(cell["target_value"]),
                        _number(cell["attainment_ratio"]),
                        cell["status"],
                        _number(cell["actual_value_last_year"]),
                        _points(cell["year_on_year_change"], str(first["unit"])),
                    ]
                else:
                    line += [None, None, None, "—", None, None]
            sheet.append(line)
            _format_row(sheet, sheet.max_row, str(first["unit"]), len(regions))
        sheet.freeze_panes = "E4"
        for header_row in (1, 2, 3):
            for cell in sheet[header_row]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions["C"].width = 34
        for column in range(5, 5 + _WIDTH * len(regions)):
            sheet.column_dimensions[get_column_letter(column)].width = 11
    # Document and archive times are the data's: the same figures give the same bytes.
    stamp = datetime.fromisoformat(data_as_of)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = bureau
    # Not book.save(), which stamps the clock's time as the modified time.
    with _DatedZip(path, stamp) as archive:
        ExcelWriter(book, archive).save()


class _DatedZip(ZipFile):
    """A zip whose entries carry one given time instead of the time they were written."""

    def __init__(self, path: Path, stamp: datetime) -> None:
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True)
        self._date_time = stamp.timetuple()[:6]

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | ZipInfo, data: bytes | str, *args: Any, **kwargs: Any
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(  # type: ignore[override]
        self, filename: str | Path, arcname: str | None = None, *args: Any, **kwargs: Any
    ) -> None:
        # openpyxl writes worksheets from temporary files, which zipfile dates by their mtime.
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes())


def _format_row(sheet: object, row: int, unit: str, regions: int) -> None:
    value_format = "0.0%" if unit == "ratio" else "#,##0"
    # A ratio's change is written in percentage points (_points): 0.05 → +5.0个百分点.
    change_format = '+0.0"个百分点";-0.0"个百分点";0.0' if unit == "ratio" else "+#,##0;-#,##0;0"
    formats = [value_format, value_format, "0.0%", None, value_format, change_format]
    for offset in range(regions):
        for index, number_format in enumerate(formats):
            if number_format is not None:
                cell = sheet.cell(row=row, column=5 + _WIDTH * offset + index)  # type: ignore[attr-defined]
                cell.number_format = number_format


def _write_csv(figures: pd.DataFrame, path: Path) -> int:
    rows = figures.dropna(subset=["region_code"])
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(
            [
                "行动",
                "指标编码",
                "指标名称",
                "单位",
                "地区编码",
                "地区",
                *_VALUE_COLUMNS,
                "报告月份",
            ]
        )
        for row in rows.itertuples(index=False):
            writer.writerow(
                [
                    row.action_line_zh,
                    row.kpi_code,
                    row.kpi_name_zh,
                    _unit_zh(row.unit),
                    row.region_code,
                    row.region_name,
                    _csv_number(row.actual_value),
                    _csv_number(row.target_value),
                    _csv_number(row.attainment_ratio),
                    row.status,
                    _csv_number(row.actual_value_last_year),
                    _csv_number(row.year_on_year_change),
                    str(row.period_month)[:7],
                ]
            )
    return len(rows)


def _unit_zh(unit: object) -> str:
    return {"ratio": "比率", "count": "个/人次", "milestone": "完成(1/0)"}.get(str(unit), str(unit))


def _points(change: object, unit: str) -> float | None:
    """A ratio's change in percentage points, as the bureau's tables state 同比; a count's as is."""
    number = _number(change)
    if number is None or unit != "ratio":
        return number
    return round(number * 100, 6)


def _number(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


def _csv_number(value: object) -> str:
    number = _number(value)
    if number is None:
        return ""
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _replace_directory(staging: Path, target: Path) -> None:
    retired = target.with_name(f".{target.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def published_quarters(serving: Path) -> list[Quarter]:
    """The quarters whose months the serving file's KPI figures cover, oldest first."""
    with duckdb.connect(str(serving), read_only=True) as connection:
        row = connection.execute(
            "select min(period_month), max(period_month) from kpi.kpi_progress"
        ).fetchone()
    if not row or row[0] is None:
        return []
    first, last = Quarter.containing(row[0]), Quarter.containing(row[1])
    quarters = []
    year, number = first.year, first.number
    while (year, number) <= (last.year, last.number):
        quarters.append(Quarter(year, number))
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return quarters

"""Reads the registry's month-end full exports (xlsx organizations, GBK csv grades)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from sources.common.files import check_columns, read_text_csv

EXPORT_COLUMNS: dict[str, list[str]] = {
    "organizations": [
        "统一社会信用代码", "社会组织名称", "社会组织类型", "登记管理机关代码", "登记管理机关",
        "成立登记日期", "登记状态", "注销撤销日期", "是否慈善组织", "法定代表人", "联系电话",
    ],
    "evaluation_grades": [
        "统一社会信用代码", "社会组织名称", "评估等级", "评估得分", "评定日期", "有效期至",
    ],
}  # fmt: skip
ORG_SHEET = "社会组织名录"
FILE_PATTERNS = {
    "organizations": re.compile(r"^社会组织名录_(\d{8})\.xlsx$"),
    "evaluation_grades": re.compile(r"^社会组织评估等级_(\d{8})\.csv$"),
}


def export_date(path: Path | str) -> date:
    """The as-of date in an export's file name."""
    match = re.search(r"_(\d{8})\.(?:xlsx|csv)$", Path(path).name)
    if not match:
        raise ValueError(f"no export date in {Path(path).name!r}")
    return datetime.strptime(match.group(1), "%Y%m%d").date()


def list_exports(drop_dir: Path | str, entity: str) -> list[Path]:
    """The entity's export files in ``drop_dir``, oldest first."""
    pattern = FILE_PATTERNS[entity]
    files = [p for p in Path(drop_dir).iterdir() if p.is_file() and pattern.match(p.name)]
    return sorted(files, key=lambda p: (export_date(p), p.name))


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _read_xlsx(path: Path, expected: list[str]) -> pd.DataFrame:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[ORG_SHEET] if ORG_SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        while header and header[-1] == "":
            header.pop()
        check_columns(path, header, expected)
        width = len(header)
        data = [
            [_cell_text(v) for v in row[:width]]
            for row in rows
            if any(v is not None and str(v).strip() for v in row[:width])
        ]
    finally:
        book.close()
    frame = pd.DataFrame(data, columns=header, dtype=object)
    return frame[expected]


def read_export(path: Path | str, entity: str) -> pd.DataFrame:
    """One export as all-text columns (empty = None); SchemaDriftError on a changed header."""
    path = Path(path)
    expected = EXPORT_COLUMNS[entity]
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, expected)
    return read_text_csv(path, expected)

"""Reads the registry's month-end full exports (.xlsx and GBK .csv, Chinese headers)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from sources.common.files import SchemaDriftError, check_columns

EXPORT_COLUMNS: dict[str, list[str]] = {
    "organizations": [
        "统一社会信用代码", "社会组织名称", "社会组织类型", "登记管理机关代码", "登记管理机关",
        "成立登记日期", "登记状态", "注销撤销日期", "是否慈善组织", "法定代表人", "联系电话",
    ],
    "evaluation_grades": [
        "统一社会信用代码", "社会组织名称", "评估等级", "评估得分", "评定日期", "有效期至",
    ],
    "annual_inspections": [
        "统一社会信用代码", "社会组织名称", "登记管理机关代码", "年检年度", "是否应参检",
        "是否已报送", "报送日期", "年检结论", "结论日期",
    ],
    "charity_branches": [
        "分会编号", "分会名称", "所在镇街代码", "所在镇街名称", "成立日期", "分会状态", "撤销日期",
    ],
    "social_worker_selections": [
        "选拔编号", "身份证号", "姓名", "联系电话", "选拔类别", "选拔批次", "选拔日期",
        "县级区划代码", "工作单位",
    ],
    "flagship_projects": [
        "项目编号", "项目名称", "项目类型", "实施单位", "县级区划代码", "所在镇街代码",
        "立项日期", "实施日期", "项目状态",
    ],
    "community_service_brands": [
        "品牌编号", "品牌名称", "社区代码", "社区名称", "登记日期", "品牌状态", "撤销日期",
    ],
}  # fmt: skip
# The sheet each .xlsx export keeps its rows on (the first sheet when the name is missing).
SHEETS = {
    "organizations": "社会组织名录",
    "charity_branches": "慈善分会名录",
    "social_worker_selections": "社工选拔名单",
    "community_service_brands": "社区服务品牌",
}
ORG_SHEET = SHEETS["organizations"]
FILE_STEMS = {
    "organizations": ("社会组织名录", "xlsx"),
    "evaluation_grades": ("社会组织评估等级", "csv"),
    "annual_inspections": ("社会组织年检", "csv"),
    "charity_branches": ("慈善分会名录", "xlsx"),
    "social_worker_selections": ("社工选拔名单", "xlsx"),
    "flagship_projects": ("五美驿站精品项目", "csv"),
    "community_service_brands": ("社区服务品牌", "xlsx"),
}
FILE_PATTERNS = {
    entity: re.compile(rf"^{stem}_(\d{{8}})\.{ext}$") for entity, (stem, ext) in FILE_STEMS.items()
}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK


class EncodingDamageError(SchemaDriftError):
    """A text export that no encoding decodes cleanly (corrupted bytes, mojibake); not landed."""

    def __init__(self, path: Path | str, detail: str):
        self.path = Path(path)
        self.missing = []
        self.unexpected = []
        self.detail = detail
        ValueError.__init__(self, f"encoding damage in {self.path.name}: {detail}")


def export_file_name(entity: str, as_of: date) -> str:
    stem, ext = FILE_STEMS[entity]
    return f"{stem}_{as_of:%Y%m%d}.{ext}"


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


def _read_xlsx(path: Path, expected: list[str], sheet_name: str | None) -> pd.DataFrame:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        while header and header[-1] == "":
            header.pop()
        check_columns(path, header, expected)
        width = len(header)
        # A row's empty trailing cells may be absent from the sheet: pad it to the header.
        data = [
            [_cell_text(v) for v in row[:width]] + [None] * (width - len(row))
            for row in rows
            if any(v is not None and str(v).strip() for v in row[:width])
        ]
    finally:
        book.close()
    frame = pd.DataFrame(data, columns=header, dtype=object)
    return frame[expected]


def decode_export(path: Path) -> str:
    """The text of a csv export: UTF-8 (BOM or not) or GBK; EncodingDamageError otherwise."""
    data = path.read_bytes()
    last: UnicodeDecodeError | None = None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            last = error
            continue
        if "\ufffd" in text:
            raise EncodingDamageError(path, "replacement characters (U+FFFD) in the text")
        return text
    where = f" (bad bytes at offset {last.start}: {last.reason})" if last else ""
    raise EncodingDamageError(path, f"not valid UTF-8 or GBK/GB18030{where}")


def _read_csv(path: Path, expected: list[str]) -> pd.DataFrame:
    text = decode_export(path)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    check_columns(path, list(frame.columns), expected)
    frame = frame[list(expected)].astype(object)
    return frame.where(frame != "", None)


def read_export(path: Path | str, entity: str) -> pd.DataFrame:
    """One export as all-text columns (empty = None).

    SchemaDriftError on a changed header; EncodingDamageError (a SchemaDriftError, so the extract
    quarantines the file whole) when a csv export does not decode cleanly.
    """
    path = Path(path)
    expected = EXPORT_COLUMNS[entity]
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, expected, SHEETS.get(entity))
    return _read_csv(path, expected)

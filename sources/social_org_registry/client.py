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
from sources.common.registry import entities

SYSTEM = "social_org_registry"


def export_columns(entity: str) -> list[str]:
    """The export's header in order, as the registry (entities.yml) states it."""
    return entities(SYSTEM)[entity].column_names


def export_sheet(entity: str) -> str | None:
    """The sheet an .xlsx export keeps its rows on (None: the first sheet)."""
    return entities(SYSTEM)[entity].file.get("sheet")


# Every export's header, sheet and file stem, for the simulator that writes them.
EXPORT_COLUMNS: dict[str, list[str]] = {
    entity: export_columns(entity) for entity in entities(SYSTEM)
}
SHEETS: dict[str, str] = {
    entity: sheet for entity in entities(SYSTEM) if (sheet := export_sheet(entity)) is not None
}
ORG_SHEET = SHEETS["organizations"]
FILE_STEMS: dict[str, tuple[str, str]] = {
    entity: (spec.file["stem"], spec.file["format"]) for entity, spec in entities(SYSTEM).items()
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
    expected = export_columns(entity)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, expected, export_sheet(entity))
    return _read_csv(path, expected)

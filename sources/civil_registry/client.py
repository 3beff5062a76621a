"""Reads the data exchange's daily civil-registry files.

Layout: ``inbox/<entity>/<entity>_<YYYYMMDD>.csv``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from sources.common.files import read_text_csv
from sources.common.registry import entities

SYSTEM = "civil_registry"


def entity_columns(entity: str) -> list[str]:
    """The entity's columns in file order, as its registry (entities.yml) states them."""
    return entities(SYSTEM)[entity].column_names


# Every entity's columns, for the simulator that writes the files.
ENTITY_COLUMNS: dict[str, list[str]] = {
    entity: entity_columns(entity) for entity in entities(SYSTEM)
}


def file_date(path: Path | str) -> date:
    """The day in a daily file's name."""
    match = re.search(r"_(\d{8})\.csv$", Path(path).name)
    if not match:
        raise ValueError(f"no date in {Path(path).name!r}")
    return datetime.strptime(match.group(1), "%Y%m%d").date()


def list_inbox_files(inbox_dir: Path | str, entity: str) -> list[Path]:
    """The entity's daily files, oldest first."""
    folder = Path(inbox_dir) / entity
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(entity)}_\d{{8}}\.csv$")
    return sorted((p for p in folder.iterdir() if pattern.match(p.name)), key=file_date)


def read_daily_file(path: Path | str, entity: str) -> pd.DataFrame:
    """One daily file as all-text columns (BOM tolerated); SchemaDriftError on a changed header."""
    return read_text_csv(Path(path), entity_columns(entity))

"""Reads the data exchange's daily civil-registry files.

Layout: ``inbox/<entity>/<entity>_<YYYYMMDD>.csv``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from sources.common.files import read_text_csv

ENTITY_COLUMNS: dict[str, list[str]] = {
    "deaths": [
        "death_record_id", "record_version", "deceased_id_number", "deceased_name", "sex",
        "birth_date", "death_date", "registration_date", "registration_county_code", "cremated",
        "via_96444", "funeral_home",
    ],
    "marriages": [
        "registration_id", "record_version", "registration_type", "registration_date",
        "registration_county_code", "registry_office", "male_id_number", "male_name",
        "female_id_number", "female_name", "is_cross_province", "other_province_code",
    ],
    "ashes_facility_projects": [
        "project_id", "record_version", "facility_name", "county_code", "town_code",
        "facility_kind", "construction_type", "project_status", "started_date", "completed_date",
        "niche_capacity",
    ],
    "funeral_home_renovation": [
        "milestone_id", "record_version", "project_id", "project_name", "county_code",
        "milestone_seq", "milestone", "milestone_status", "planned_date", "completed_date",
    ],
    "rescue_station_stays": [
        "stay_id", "record_version", "person_id_number", "person_name", "sex", "station_name",
        "station_county_code", "admitted_date", "identity_established_date", "left_date",
        "leave_reason",
    ],
}  # fmt: skip


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
    return read_text_csv(Path(path), ENTITY_COLUMNS[entity])

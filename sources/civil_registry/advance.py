"""The data exchange one day on: the day's file per entity in the inbox.

Deaths and marriages get a file every day (empty on a quiet day); the other feeds only on days
with records. A file holds the records registered that day (a few marriages arrive days late)
and new versions of earlier records: corrections, completed projects, rescue-station stays whose
person was identified or left. Files already delivered are never touched.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sources.civil_registry import records
from sources.civil_registry.client import ENTITY_COLUMNS
from sources.civil_registry.params import RESCUE_STATIONS
from sources.civil_registry.simulator import (
    DEATHS_PER_YEAR,
    MONTH_WEIGHT,
    correct_deaths,
    deaths_registered,
)
from sources.common.advancing import ChangeLog, day_rng, masked, next_numbers
from sources.common.identity import generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, COUNTY_NAMES, towns
from sources.common.simtools import DAY, d64, pick

SYSTEM = 4  # the system's random stream (the full simulation's order)
BOM_FILE_RATE = 0.02
# Corrections a year, as a share of the year's registrations, arriving within 20 days.
DEATH_CORRECTION_RATE = 0.005
MARRIAGE_CORRECTION_RATE = 0.004
CORRECTION_WITHIN_DAYS = 20
LATE_MARRIAGE_RATE = 0.01
# Recipient deaths keep the full simulation's own key range.
RECIPIENT_DEATH_IDS = 3_900_000_000
# Public-welfare ashes facilities: projects started a year (not scaled: a programme, not a
# population) and the daily chance a project under construction is completed (about 9 months).
ASHES_PROJECTS_PER_YEAR = 10
ASHES_COMPLETION_CHANCE = 1 / 270
# Rescue stations: the daily chance a stay's person is identified, and of leaving by length of
# stay (most leave within a week, some within a month, a few stay for years).
IDENTIFIED_CHANCE = 0.02
SHORT_STAY_DAYS, SHORT_STAY_LEAVE = 7, 0.25
MEDIUM_STAY_DAYS, MEDIUM_STAY_LEAVE = 30, 0.06
LONG_STAY_LEAVE = 0.005
KNOWN_AT_ADMISSION = 0.70


def advance_day(out_dir: Path, day: date, *, seed: int, scale: float, shared: dict) -> ChangeLog:
    """Write the day's files into ``out_dir/inbox/<entity>/``; registers the recipient deaths
    the assistance platform put in ``shared["recipient_deaths"]``."""
    rng = day_rng(seed, SYSTEM, day)
    inbox = out_dir / "inbox"
    log = ChangeLog()
    with_bom = bool(rng.random() < BOM_FILE_RATE)
    feeds = {
        "deaths": (_deaths(inbox, day, rng, scale, shared.get("recipient_deaths")), True),
        "marriages": (_marriages(inbox, day, rng, scale), True),
        "ashes_facility_projects": (_ashes_projects(inbox, day, rng), False),
        "rescue_station_stays": (_stays(inbox, day, rng, scale), False),
    }
    for entity, (rows, every_day) in feeds.items():
        if rows.empty and not every_day:
            continue
        path = inbox / entity / f"{entity}_{day:%Y%m%d}.csv"
        if path.exists():
            raise FileExistsError(f"{path} was delivered already: the clock is behind the inbox")
        path.parent.mkdir(parents=True, exist_ok=True)
        rows[ENTITY_COLUMNS[entity]].to_csv(
            path, index=False, encoding="utf-8-sig" if with_bom else "utf-8", lineterminator="\n"
        )
        log.files.append(f"{entity}/{path.name}")
        versions = rows["record_version"].astype(int)
        log.record(entity, added=int((versions == 1).sum()), changed=int((versions > 1).sum()))
    return log


# --- reading what was delivered ------------------------------------------------------------


def read_day_records(path: Path) -> tuple[list[str], list[list[str]]]:
    """A daily file's header and rows as text ('' for empty): the csv module, not pandas,
    because the advance looks back over many small files every day."""
    reader = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
    header = next(reader)
    return header, list(reader)


def column_values(path: Path, column: str) -> list[str]:
    """One column of a daily file, empty cells left out."""
    header, rows = read_day_records(path)
    at = header.index(column)
    return [row[at] for row in rows if row[at]]


def _files(inbox: Path, entity: str, newest_first: bool = False) -> list[Path]:
    """The entity's daily files by date (names sort by date)."""
    folder = inbox / entity
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{entity}_*.csv"), key=lambda p: p.name, reverse=newest_first)


def _delivered(inbox: Path, entity: str, since: date | None = None) -> pd.DataFrame:
    """Every row of the entity's files (from ``since`` on), all text (empty = None)."""
    columns = ENTITY_COLUMNS[entity]
    rows: list[list[str]] = []
    for path in _files(inbox, entity):
        if since is not None and path.stem.rsplit("_", 1)[1] < f"{since:%Y%m%d}":
            continue
        header, records = read_day_records(path)
        order = [header.index(c) for c in columns]
        rows.extend([record[i] for i in order] for record in records)
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.where(frame != "", None)


def _latest_versions(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    ordered = rows.assign(_v=rows["record_version"].astype(int)).sort_values([key, "_v"])
    return ordered.drop_duplicates(key, keep="last").reset_index(drop=True)


def _largest_key(
    inbox: Path, entity: str, prefix: str, numbers: tuple[int, int] = (0, 10**10)
) -> str | None:
    """The largest ``prefix`` + 10-digit key delivered so far with its number in ``numbers``.

    Every file is searched: the exchange does not hand keys out in file order (late records,
    recipient deaths registered days after they were numbered).
    """
    low, high = numbers
    pattern = re.compile(re.escape(prefix).encode() + rb"(\d{10})")
    largest = -1
    for path in _files(inbox, entity):
        found = [int(n) for n in pattern.findall(path.read_bytes())]
        largest = max([largest, *(n for n in found if low <= n < high)])
    return f"{prefix}{largest}" if largest >= 0 else None


def _corrections(
    inbox: Path, entity: str, key: str, day: date, rng: np.random.Generator, per_day: float
) -> pd.DataFrame:
    """Records first delivered in the last 20 days, picked for a correction today: each as its
    latest version, ``record_version`` already moved on by one."""
    k = int(rng.poisson(per_day))
    if k == 0:
        return pd.DataFrame(columns=ENTITY_COLUMNS[entity], dtype=object)
    recent = _delivered(inbox, entity, since=day - timedelta(days=CORRECTION_WITHIN_DAYS))
    first_seen = recent.loc[recent["record_version"] == "1", key].drop_duplicates()
    latest = _latest_versions(recent[recent[key].isin(first_seen)], key)
    chosen = latest.iloc[np.sort(rng.choice(len(latest), min(k, len(latest)), replace=False))]
    chosen = chosen.copy()
    chosen["record_version"] = (chosen.pop("_v") + 1).astype(str)
    return chosen.reset_index(drop=True)


# --- deaths and marriages ----------------------------------------------------------------------


def _deaths(
    inbox: Path, day: date, rng: np.random.Generator, scale: float, recipients: pd.DataFrame | None
) -> pd.DataFrame:
    weight = MONTH_WEIGHT[day.month - 1] / MONTH_WEIGHT.mean()
    count = int(rng.poisson(DEATHS_PER_YEAR * scale / 365 * weight))
    new, _ = deaths_registered(rng, scale, day, day, bad_id_rate=0.0, count=count)
    ordinary = _largest_key(inbox, "deaths", "SW", (0, RECIPIENT_DEATH_IDS))
    new["death_record_id"] = next_numbers([ordinary], "SW", len(new))
    parts = [new]
    if recipients is not None and len(recipients):
        largest = _largest_key(inbox, "deaths", "SW", (RECIPIENT_DEATH_IDS, 10**10))
        ids = next_numbers([largest], "SW", len(recipients), first=RECIPIENT_DEATH_IDS)
        registered = np.full(len(recipients), d64(day))
        parts.append(records.death_registrations(rng, recipients, registered, ids))
    per_day = DEATH_CORRECTION_RATE * DEATHS_PER_YEAR * scale / 365
    fixed = _corrections(inbox, "deaths", "death_record_id", day, rng, per_day)
    parts.append(correct_deaths(rng, fixed))
    return pd.concat(parts, ignore_index=True)


def _marriages(inbox: Path, day: date, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    year = np.arange(d64(f"{day.year}-01-01"), d64(f"{day.year + 1}-01-01"), DAY)
    weight = records.registration_day_weights(np.array([d64(day)]))[0]
    weight /= records.registration_day_weights(year).mean()
    per_year = records.MARRIAGES_PER_YEAR + records.DIVORCES_PER_YEAR
    count = int(rng.poisson(per_year * scale / 365 * weight))
    n_mar = int(rng.binomial(count, records.MARRIAGES_PER_YEAR / per_year))
    served, _, _ = records.marriages(rng, scale, day, day, 0.0, counts=(n_mar, count - n_mar))
    # The exchange's duplicate sends are the full simulation's dirt; the advance keeps it clean.
    new = served.drop_duplicates("registration_id").reset_index(drop=True)
    new["registration_id"] = next_numbers([_largest_key(inbox, "marriages", "HY")], "HY", len(new))
    late = rng.random(len(new)) < LATE_MARRIAGE_RATE
    registered = d64(day) - np.where(late, rng.integers(1, 6, len(new)), 0) * DAY
    new["registration_date"] = np.datetime_as_string(registered, unit="D").astype(object)
    per_day = MARRIAGE_CORRECTION_RATE * per_year * scale / 365
    fixed = _corrections(inbox, "marriages", "registration_id", day, rng, per_day)
    fixed["female_name"] = random_names(rng, np.zeros(len(fixed), dtype=bool)).astype(object)
    return pd.concat([new, fixed], ignore_index=True)


# --- ashes facilities and rescue stations ------------------------------------------------------


def _ashes_projects(inbox: Path, day: date, rng: np.random.Generator) -> pd.DataFrame:
    """Projects under construction complete; new ones start."""
    projects = _latest_versions(_delivered(inbox, "ashes_facility_projects"), "project_id")
    building = projects[projects["project_status"] == "在建"]
    done = building[rng.random(len(building)) < ASHES_COMPLETION_CHANCE].copy()
    done["record_version"] = (done.pop("_v") + 1).astype(str)
    done["project_status"] = "已竣工"
    done["completed_date"] = day.isoformat()

    n = int(rng.poisson(ASHES_PROJECTS_PER_YEAR / 365))
    county = pick(rng, COUNTIES, n, [PROFILES[c].population_share for c in COUNTIES]).astype(str)
    town = towns()
    town_of = {c: g["code"].to_numpy(str) for c, g in town.groupby("county_code")}
    kind = pick(rng, records.FACILITY_KINDS, n, records.FACILITY_KIND_SHARES).astype(str)
    numbers = len(projects) + 1 + np.arange(n)
    new = pd.DataFrame(
        {
            "project_id": next_numbers(projects["project_id"], "GH", n),
            "record_version": "1",
            "facility_name": [
                f"{COUNTY_NAMES[c]}{k}(第{i}号)"
                for c, k, i in zip(county, kind, numbers, strict=True)
            ],
            "county_code": county,
            "town_code": [town_of[c][rng.integers(0, len(town_of[c]))] for c in county],
            "facility_kind": kind,
            "construction_type": pick(
                rng, records.CONSTRUCTION_TYPES, n, records.CONSTRUCTION_SHARES
            ),
            "project_status": "在建",
            "started_date": day.isoformat(),
            "completed_date": None,
            "niche_capacity": (rng.integers(3, 40, n) * 100).astype(str),
        }
    )
    return pd.concat([done, new], ignore_index=True)


def _stays(inbox: Path, day: date, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """People in the stations are identified or leave (a new version each); new admissions."""
    stays = _latest_versions(_delivered(inbox, "rescue_station_stays"), "stay_id")
    inside = stays[stays["left_date"].isna() & (stays["admitted_date"] < day.isoformat())].copy()
    n = len(inside)
    unknown = inside["person_id_number"].isna().to_numpy(bool)
    identified = unknown & (rng.random(n) < IDENTIFIED_CHANCE)
    length = (d64(day) - inside["admitted_date"].to_numpy("datetime64[D]")).astype(np.int64)
    chance = np.select(
        [length <= SHORT_STAY_DAYS, length <= MEDIUM_STAY_DAYS],
        [SHORT_STAY_LEAVE, MEDIUM_STAY_LEAVE],
        LONG_STAY_LEAVE,
    )
    leaving = rng.random(n) < chance
    moved = inside[identified | leaving].copy()
    who = identified[identified | leaving]
    stations = moved["station_county_code"].to_numpy(str)
    ids, names = _identities(rng, stations, moved["sex"].to_numpy(str) == "男", d64(day))
    moved.loc[who, "person_id_number"] = ids[who]
    moved.loc[who, "person_name"] = names[who]
    moved.loc[who, "identity_established_date"] = day.isoformat()
    out = leaving[identified | leaving]
    moved.loc[out, "left_date"] = day.isoformat()
    moved.loc[out, "leave_reason"] = pick(
        rng, records.LEAVE_REASONS, int(out.sum()), records.LEAVE_REASON_SHARES
    )
    moved["record_version"] = (moved.pop("_v") + 1).astype(str)

    k = int(rng.poisson(records.RESCUE_STAYS_PER_YEAR * scale / 365))
    codes = list(RESCUE_STATIONS)
    station = pick(rng, codes, k, [RESCUE_STATIONS[c][1] for c in codes]).astype(str)
    male = rng.random(k) < 0.78
    known = rng.random(k) < KNOWN_AT_ADMISSION
    ids, names = _identities(rng, station, male, d64(day))
    admitted = pd.DataFrame(
        {
            "stay_id": next_numbers(stays["stay_id"], "JZ", k),
            "record_version": "1",
            "person_id_number": masked(known, ids),
            "person_name": masked(known, names),
            "sex": np.where(male, "男", "女"),
            "station_name": [RESCUE_STATIONS[c][0] for c in station],
            "station_county_code": station,
            "admitted_date": day.isoformat(),
            "identity_established_date": masked(known, np.full(k, day.isoformat())),
            "left_date": None,
            "leave_reason": None,
        }
    )
    return pd.concat([moved, admitted], ignore_index=True)


def _identities(
    rng: np.random.Generator, station_county: np.ndarray, male: np.ndarray, day: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """Who a person in a rescue station turns out to be: most come from other provinces."""
    n = len(station_county)
    birth = day - (rng.integers(18, 80, n) * 365.25).astype(int) * DAY
    others = np.array(records.OTHER_PROVINCE_COUNTIES)
    home = np.where(
        rng.random(n) < 0.6, others[rng.integers(0, len(others), n)], station_county
    ).astype(str)
    ids = generate_id_numbers(rng, home, birth, male).astype(object)
    return ids, random_names(rng, male).astype(object)

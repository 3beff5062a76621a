"""Simulated data-exchange feed of death registrations: one CSV per day, late corrections."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sources.common.identity import corrupt_check_chars, generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES, by_county
from sources.common.regions import COUNTIES, with_retired_codes
from sources.common.simtools import (
    DAY,
    SystemResult,
    d64,
    date_text,
    pick,
    prefixed_ids,
    progress,
    scaled,
)

from . import records
from .client import ENTITY_COLUMNS
from .params import CITY

DEATHS_PER_YEAR = int(CITY["deaths_per_year"])
# Deaths peak in winter.
MONTH_WEIGHT = np.array([1.3, 1.15, 1.05, 0.95, 0.9, 0.85, 0.85, 0.85, 0.9, 0.95, 1.05, 1.2])


def deaths_registered(
    rng: np.random.Generator,
    scale: float,
    start: date,
    end: date,
    bad_id_rate: float,
    count: int | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Deaths registered in the window (``count`` overrides the scaled volume), with the keys
    given a wrong ID check digit."""
    start64, end64 = d64(start), d64(end)
    days = np.arange(start64, end64 + DAY, DAY)
    months = days.astype("datetime64[M]").astype(int) % 12
    weight = MONTH_WEIGHT[months]
    n = scaled(DEATHS_PER_YEAR * len(days) / 365, scale) if count is None else count
    registered = np.sort(days[rng.choice(len(days), size=n, p=weight / weight.sum())])
    death = registered - rng.choice([0, 1, 2, 3], n, p=[0.3, 0.4, 0.2, 0.1]) * DAY
    age = np.clip(rng.normal(80, 11, n), 0, 106)
    birth = death - (age * 365.25).astype(np.int64) * DAY
    male = rng.random(n) < 0.53
    county = pick(rng, COUNTIES, n, [PROFILES[c].population_share for c in COUNTIES]).astype(str)
    id_county = with_retired_codes(rng, county, birth, float(CITY["retired_code_share"]))
    ids = generate_id_numbers(rng, id_county, birth, male)
    bad = np.flatnonzero(rng.random(n) < bad_id_rate)
    ids[bad] = corrupt_check_chars(rng, ids[bad])
    via = rng.random(n) < by_county(county, "ss03_96444_rate").astype(float)
    frame = pd.DataFrame(
        {
            "death_record_id": prefixed_ids("SW", 3_000_000_000, n),
            "record_version": "1",
            "deceased_id_number": ids,
            "deceased_name": random_names(rng, male),
            "sex": np.where(male, "男", "女"),
            "birth_date": date_text(birth),
            "death_date": date_text(death),
            "registration_date": date_text(registered),
            "registration_county_code": county,
            "cremated": np.where(rng.random(n) < 0.996, "是", "否"),
            "via_96444": np.where(via, "是", "否"),
            "funeral_home": by_county(county, "funeral_home"),
            "_file_day": registered,
        }
    )
    return frame, frame["death_record_id"].to_numpy()[bad].tolist()


def _corrections(
    rng: np.random.Generator, deaths: pd.DataFrame, end: date, rate: float
) -> pd.DataFrame:
    """Second versions in a later day's file: a wrong name, death date or 96444 flag fixed."""
    n = len(deaths)
    later = deaths["_file_day"].to_numpy("datetime64[D]") + rng.integers(1, 21, n) * DAY
    chosen = np.flatnonzero((rng.random(n) < rate) & (later <= d64(end)))
    fixed = deaths.iloc[chosen].copy()
    fixed["record_version"] = "2"
    fixed["_file_day"] = later[chosen]
    return correct_deaths(rng, fixed)


def correct_deaths(rng: np.random.Generator, fixed: pd.DataFrame) -> pd.DataFrame:
    """Fix one field of each death record (modified in place and returned): a wrong name, a
    death date one day late, or the 96444 flag missed at registration."""
    what = rng.integers(0, 3, len(fixed))
    # A 96444 fix only ever adds the platform flag that was missed at registration.
    what = np.where((what == 2) & (fixed["via_96444"].to_numpy() == "是"), 0, what)
    male = fixed["sex"].to_numpy() == "男"
    fixed["deceased_name"] = np.where(
        what == 0, random_names(rng, male), fixed["deceased_name"].to_numpy(str)
    )
    shifted = date_text(fixed["death_date"].to_numpy("datetime64[D]") - DAY)
    fixed["death_date"] = np.where(what == 1, shifted, fixed["death_date"].to_numpy(str))
    fixed["via_96444"] = np.where(what == 2, "是", fixed["via_96444"].to_numpy(str))
    return fixed


def simulate_civil_registry(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 2024,
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    bad_id_rate: float = 0.002,
    correction_rate: float = 0.005,
    bom_file_rate: float = 0.02,
    progress_bar: bool = True,
    shared: Mapping[str, pd.DataFrame] | None = None,
) -> SystemResult:
    """Write ``inbox/<entity>/<entity>_<YYYYMMDD>.csv``; return counts, dirt and clean state.

    Deaths and marriages get a file every day (empty on quiet days); the low-volume feeds
    (ashes-facility projects, the funeral-home renovation, rescue-station stays) only on days with
    records. Deaths of assistance recipients in ``shared["recipient_deaths"]`` are registered too.
    """
    rng = np.random.default_rng([seed, 4])
    first, bad_keys = deaths_registered(rng, scale, start, end, bad_id_rate)
    # The other feeds draw from their own streams so the deaths stay as they were.
    recipients = records.recipient_deaths(np.random.default_rng([seed, 4, 5]), shared, start, end)
    if len(recipients):
        first = pd.concat([first, recipients], ignore_index=True)
    fixed = _corrections(rng, first, end, correction_rate)
    served = pd.concat([first, fixed], ignore_index=True)

    days = np.arange(d64(start), d64(end) + DAY, DAY)
    with_bom = {str(d) for d in days[rng.random(len(days)) < bom_file_rate]}
    marriages, marriage_state, marriage_dirt = records.marriages(
        np.random.default_rng([seed, 4, 1]), scale, start, end, bad_id_rate
    )
    ashes, ashes_state, ashes_dirt = records.ashes_facility_projects(
        np.random.default_rng([seed, 4, 2]), start, end
    )
    renovation, renovation_state = records.funeral_home_renovation(start, end)
    stays, stay_state = records.rescue_station_stays(
        np.random.default_rng([seed, 4, 3]), scale, start, end
    )
    feeds = {
        "deaths": (served, True),
        "marriages": (marriages, True),
        "ashes_facility_projects": (ashes, False),
        "funeral_home_renovation": (renovation, False),
        "rescue_station_stays": (stays, False),
    }
    bom_files = []
    file_counts = {}
    for entity, (rows_all, every_day) in feeds.items():
        folder = out_dir / "inbox" / entity
        folder.mkdir(parents=True, exist_ok=True)
        columns = ENTITY_COLUMNS[entity]
        by_day = {k: g for k, g in rows_all.groupby("_file_day")}
        written = 0
        for day in progress(days, f"civil_registry {entity}", progress_bar):
            stamp = pd.Timestamp(day)
            rows = by_day.get(stamp)
            if rows is None:
                if not every_day:
                    continue
                rows = rows_all.iloc[0:0]
            name = f"{entity}_{stamp:%Y%m%d}.csv"
            bom = str(day) in with_bom
            if bom:
                bom_files.append(f"{entity}/{name}")
            rows[columns].to_csv(
                folder / name,
                index=False,
                encoding="utf-8-sig" if bom else "utf-8",
                lineterminator="\n",
            )
            written += 1
        file_counts[entity] = written

    latest = served.sort_values(["death_record_id", "record_version"]).drop_duplicates(
        "death_record_id", keep="last"
    )
    return SystemResult(
        counts={entity: len(rows_all) for entity, (rows_all, _) in feeds.items()},
        injected={
            "bad_id_check_digit": {
                "deaths": {"count": len(bad_keys), "keys": bad_keys},
                "marriages": marriage_dirt["bad_id_check_digit"],
            },
            "corrected_deaths": {"count": len(fixed), "keys": fixed["death_record_id"].tolist()},
            "recipient_deaths_registered": {
                "count": len(recipients),
                "keys": recipients["death_record_id"].tolist(),
            },
            "corrected_marriages": marriage_dirt["corrected"],
            "duplicated_marriage_rows": marriage_dirt["duplicated_rows"],
            "late_marriage_rows": marriage_dirt["late_file_rows"],
            "corrected_ashes_facility_projects": ashes_dirt["corrected"],
            "bom_files": {"count": len(bom_files), "files": bom_files},
            "files": sum(file_counts.values()),
            "files_per_entity": file_counts,
        },
        state={
            "deaths": latest[ENTITY_COLUMNS["deaths"]].reset_index(drop=True),
            "marriages": marriage_state[ENTITY_COLUMNS["marriages"]],
            "ashes_facility_projects": ashes_state[ENTITY_COLUMNS["ashes_facility_projects"]],
            "funeral_home_renovation": renovation_state[ENTITY_COLUMNS["funeral_home_renovation"]],
            "rescue_station_stays": stay_state[ENTITY_COLUMNS["rescue_station_stays"]],
        },
    )

"""The city's districts and division codes, read from the city profile's seeds (the one copy the
warehouse loads too)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from minzheng.settings import city_profile_dir

SEEDS: Path = city_profile_dir() / "seeds"
DIVISIONS_CSV: Path = SEEDS / "ref_divisions.csv"
COUNTIES_CSV: Path = SEEDS / "ref_counties.csv"
CODE_CHANGES_CSV: Path = SEEDS / "ref_county_code_changes.csv"

# The city and its districts, in the seed's order (the order every report shows them in).
_REGIONS = pd.read_csv(COUNTIES_CSV, dtype=str, keep_default_na=False)
_CITY = _REGIONS[_REGIONS["region_level"] == "city"].iloc[0]
_COUNTIES = _REGIONS[_REGIONS["region_level"] == "county"]
CITY_CODE: str = _CITY["region_code"]
CITY_NAME: str = _CITY["region_name"]
COUNTIES: tuple[str, ...] = tuple(_COUNTIES["region_code"])
COUNTY_NAMES: dict[str, str] = dict(
    zip(_COUNTIES["region_code"], _COUNTIES["region_name"], strict=True)
)
REAL_VILLAGE_TYPES = ("居委会", "村委会")


@lru_cache(maxsize=1)
def load_divisions() -> pd.DataFrame:
    """Every town and village row, all text, with ``county_code`` (first 6 digits) added."""
    frame = pd.read_csv(DIVISIONS_CSV, dtype=str, keep_default_na=False)
    frame["county_code"] = frame["code"].str[:6]
    return frame


def real_villages(county_code: str | None = None) -> pd.DataFrame:
    """Real villages and communities (居委会, 村委会); virtual ones are never counted."""
    frame = load_divisions()
    rows = frame[(frame["level"] == "village") & frame["unit_type"].isin(REAL_VILLAGE_TYPES)]
    if county_code is not None:
        rows = rows[rows["county_code"] == county_code]
    return rows.reset_index(drop=True)


def towns(county_code: str | None = None) -> pd.DataFrame:
    frame = load_divisions()
    rows = frame[frame["level"] == "town"]
    if county_code is not None:
        rows = rows[rows["county_code"] == county_code]
    return rows.reset_index(drop=True)


@lru_cache(maxsize=1)
def code_changes() -> tuple[tuple[str, str, int], ...]:
    """(retired code, current code, year of the change) for each retired district code."""
    frame = pd.read_csv(CODE_CHANGES_CSV, dtype=str, keep_default_na=False)
    return tuple(
        (str(retired), str(current), int(year))
        for retired, current, year in frame[
            ["retired_code", "current_code", "changed_year"]
        ].itertuples(index=False, name=None)
    )


def with_retired_codes(
    rng: np.random.Generator, codes: np.ndarray, dated: np.ndarray, share: float
) -> np.ndarray:
    """The district codes that IDs or credit codes carry: of the rows of a district that took
    over a retired code and dated (born, registered) before the change, ``share`` keep it."""
    carried = np.asarray(codes)
    for retired, current, year in code_changes():
        before = np.asarray(dated) < np.datetime64(f"{year + 1}-01-01", "D")
        keep = (carried == current) & before & (rng.random(len(carried)) < share)
        carried = np.where(keep, retired, carried)
    return carried


@lru_cache(maxsize=1)
def assistance_projects() -> pd.DataFrame:
    """The smart assistance platform's projects and the action line whose plan names each (empty:
    served, not counted), from the profile's seed (the warehouse tags services with it too)."""
    return pd.read_csv(SEEDS / "ref_assistance_projects.csv", dtype=str, keep_default_na=False)


def region_name(code: str) -> str:
    return CITY_NAME if code == CITY_CODE else COUNTY_NAMES[code]


def villages_in(rng: np.random.Generator, counties: np.ndarray) -> np.ndarray:
    """A random real village or community code in each row's county."""
    villages = real_villages()
    out = np.empty(len(counties), dtype=object)
    for county in COUNTIES:
        mask = counties == county
        codes = villages.loc[villages["county_code"] == county, "code"].to_numpy()
        out[mask] = codes[rng.integers(0, len(codes), mask.sum())]
    return out

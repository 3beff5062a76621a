"""The simulator's calibration, read from the city profile's ``simulation/`` folder.

Each district performs differently, so some KPIs meet their targets and some lag. The per-district
tables are CSV files with one row per district of the profile's seeds (by ``region_code``), their
columns the fields of the row classes here and in each system's ``params``; ``city.yml`` holds the
city-wide magnitudes at scale 1.0.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import yaml

from minzheng.settings import city_profile_dir

from .regions import CITY_CODE, COUNTIES

SIMULATION: Path = city_profile_dir() / "simulation"
_Row = TypeVar("_Row")
_CONVERTERS: dict[str, Any] = {"int": int, "float": float, "str": str}


def district_table(
    file_name: str, row: type[_Row], codes: tuple[str, ...] = COUNTIES
) -> dict[str, _Row]:
    """``row`` for each code in ``codes``, from the profile's ``simulation/<file_name>``.

    A file that misses one of ``codes``, names a region the seeds do not have or lacks a column
    is refused with the file and what is wrong: a calibration never falls back to another
    city's."""
    path = SIMULATION / file_name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    fields = {field.name: str(field.type) for field in dataclasses.fields(row)}  # type: ignore[arg-type]
    missing = sorted(set(fields) - set(frame.columns))
    if missing:
        raise ValueError(f"{path}: no column {', '.join(missing)}")
    given = list(frame["region_code"])
    unknown = sorted(set(given) - {CITY_CODE, *COUNTIES})
    missing_rows = sorted(set(codes) - set(given))
    if unknown or missing_rows or len(set(given)) != len(given):
        raise ValueError(
            f"{path}: rows for {sorted(given)}, expected one for each of {sorted(codes)} "
            f"(seeds/ref_counties.csv)"
        )
    table = {}
    for record in frame[frame["region_code"].isin(codes)].to_dict("records"):
        values = {name: _value(record[name], kind) for name, kind in fields.items()}
        table[record["region_code"]] = row(**values)
    return {code: table[code] for code in codes}


def _value(text: str, kind: str) -> Any:
    """A cell as its field's type; an empty cell is None where the field is optional."""
    base, _, optional = kind.partition(" | ")
    if optional == "None" and text == "":
        return None
    return _CONVERTERS[base](text)


def city_calibration(system: str) -> dict[str, Any]:
    """One system's section of ``simulation/city.yml``."""
    sections = _city_sections()
    if system not in sections:
        raise ValueError(f"{SIMULATION / 'city.yml'}: no section {system}")
    return dict(sections[system])


@lru_cache(maxsize=1)
def _city_sections() -> dict[str, Any]:
    with (SIMULATION / "city.yml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


@dataclass(frozen=True)
class CountyProfile:
    population_share: float  # share of the city's residents
    assistance_share: float  # share of 低保/特困/临时救助 caseload (rural counties carry more)
    sa01_direct_rate: float  # 临时救助 handled where the emergency happened
    sa03_active_rate: float  # cases found proactively
    ec_institutions: int  # elderly-care institutions at scale 1
    ec_nursing_share_2022: float  # nursing share of beds at the end of 2022
    ec_nursing_share_2024: float  # ... and the end of 2024
    ec10_nursing_added_2024: int  # nursing beds the county plans to add in 2024 at scale 1
    ch04_submit_rate: float  # villages submitting the monthly children survey
    ss03_96444_rate: float  # deaths handled through the 96444 platform
    funeral_home: str


PROFILES: dict[str, CountyProfile] = district_table("districts.csv", CountyProfile)


def by_county(codes: np.ndarray, attribute: str, default: float | None = None) -> np.ndarray:
    """A profile attribute for each county code in ``codes`` (``default`` for other codes)."""
    values = {code: getattr(profile, attribute) for code, profile in PROFILES.items()}
    mapped = pd.Series(np.asarray(codes)).map(values)
    if default is not None:
        mapped = mapped.fillna(default)
    return mapped.to_numpy()

"""Per-county parameters: each district performs differently, so some KPIs meet target and some lag.

Targets (2024 plan): SA01 1.0, EC10 +1000 nursing beds city-wide, EC11 0.80, CH04 1.0, SP04 0.48,
SS03 1.0; SA03 is monitored only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .regions import COUNTIES, COUNTY_NAMES


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
    sp04_graded_rate: float  # active organizations holding a valid grade
    ss03_96444_rate: float  # deaths handled through the 96444 platform
    funeral_home: str


# By district name; the codes (and their order) are the reference seed's (regions.COUNTY_NAMES).
_PROFILES_BY_NAME: dict[str, CountyProfile] = {
    "海陵区": CountyProfile(
        0.17, 0.11, 1.00, 0.41, 24, 0.76, 0.86, 260, 1.00, 0.56, 1.000, "泰州市殡仪馆"
    ),
    "高港区": CountyProfile(
        0.08, 0.07, 0.96, 0.30, 16, 0.72, 0.81, 110, 0.97, 0.50, 0.985, "泰州市殡仪馆"
    ),
    "姜堰区": CountyProfile(
        0.14, 0.15, 1.00, 0.35, 30, 0.70, 0.78, 190, 0.99, 0.46, 0.995, "姜堰区殡仪馆"
    ),
    "兴化市": CountyProfile(
        0.25, 0.30, 0.86, 0.18, 46, 0.58, 0.66, 120, 0.93, 0.38, 0.910, "兴化市殡仪馆"
    ),
    "靖江市": CountyProfile(
        0.15, 0.13, 0.93, 0.27, 28, 0.75, 0.83, 200, 1.00, 0.52, 1.000, "靖江市殡仪馆"
    ),
    "泰兴市": CountyProfile(
        0.21, 0.24, 0.90, 0.22, 40, 0.64, 0.72, 150, 0.95, 0.42, 0.950, "泰兴市殡仪馆"
    ),
}
# Organizations registered by the city bureau itself.
CITY_SP04_GRADED_RATE = 0.62

PROFILES: dict[str, CountyProfile] = {
    code: _PROFILES_BY_NAME[COUNTY_NAMES[code]] for code in COUNTIES
}
assert len(PROFILES) == len(_PROFILES_BY_NAME), "a profile names no district of the seed"


def by_county(codes: np.ndarray, attribute: str, default: float | None = None) -> np.ndarray:
    """A profile attribute for each county code in ``codes`` (``default`` for other codes)."""
    values = {code: getattr(profile, attribute) for code, profile in PROFILES.items()}
    mapped = pd.Series(np.asarray(codes)).map(values)
    if default is not None:
        mapped = mapped.fillna(default)
    return mapped.to_numpy()

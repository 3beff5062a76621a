"""The smart-assistance simulation's calibration for the SA and CH action lines, from the city
profile (simulation/smart_assistance.csv per district, the smart_assistance section of city.yml).

Each district performs differently so that KPIs land above and below target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sources.common.profiles import city_calibration, district_table
from sources.common.regions import assistance_projects


@dataclass(frozen=True)
class AssistanceProfile:
    sa02_after_death: float  # deceased two-subsidy recipients paid on for 1-3 months
    sa02_care_low_grade: float  # grade 3-4 persons wrongly paid the care subsidy
    sa02_living_no_household: (
        float  # persons in no 低保/特困/低收入 household paid the living subsidy
    )
    sa02_duplicate: float  # two-subsidy payments paid twice for the same month
    sa04_timely: float  # monitoring alerts closed within 30 days
    ch01_upgrades_previous_year: (
        int  # stations upgraded to provincial demonstration the year before
    )
    ch01_upgrades_plan_year: int  # ... and in the plan year
    ch02_trained: float  # child workers in post trained in the year
    ch03_full: float  # child-months paid at least the standard


SA_PROFILES: dict[str, AssistanceProfile] = district_table(
    "smart_assistance.csv", AssistanceProfile
)
CITY = city_calibration("smart_assistance")


def sa_by_county(codes: np.ndarray, attribute: str) -> np.ndarray:
    """A profile attribute for each county code in ``codes``."""
    values = {code: getattr(profile, attribute) for code, profile in SA_PROFILES.items()}
    return pd.Series(np.asarray(codes)).map(values).to_numpy(dtype=float)


# 两项补贴 monthly amounts (yuan) by disability grade; Jiangsu figures kept as parameters.
LIVING_SUBSIDY = {"一级": 200.0, "二级": 200.0, "三级": 120.0, "四级": 120.0}
CARE_SUBSIDY = {"一级": 250.0, "二级": 180.0, "三级": 100.0, "四级": 100.0}
# 孤儿 / 事实无人抚养儿童 basic living standard (yuan a month) by care mode, 2024; 2023's was lower.
CHILD_STANDARD = {"集中养育": 2600.0, "社会散居": 1650.0}
CHILD_OLD_STANDARD = {"集中养育": 2500.0, "社会散居": 1580.0}

LIVING = "困难残疾人生活补贴"
CARE = "重度残疾人护理补贴"
CHILD_ALLOWANCE = "孤儿/事实无人抚养儿童基本生活费"
SUBSIDY_TYPES = ("低保金", "特困供养金", "临时救助金", LIVING, CARE, CHILD_ALLOWANCE)

# The platform's projects, by the action line whose plan names them (the seed the warehouse tags
# services with; no line: served, but not counted by the plan).
_PROJECTS = assistance_projects()
SA_PROJECTS = tuple(_PROJECTS.loc[_PROJECTS["action_line"] == "SA", "project_name"])
CH_PROJECTS = tuple(_PROJECTS.loc[_PROJECTS["action_line"] == "CH", "project_name"])
OTHER_PROJECTS = tuple(_PROJECTS.loc[_PROJECTS["action_line"] == "", "project_name"])
ALERT_DECISIONS = (
    "纳入低保",
    "纳入特困",
    "纳入低保边缘",
    "给予临时救助",
    "转介其他部门",
    "核查不符合条件",
)

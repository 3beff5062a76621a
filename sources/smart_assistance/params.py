"""Per-county parameters of the smart-assistance simulation for the SA and CH action lines.

Each district performs differently so that KPIs land above and below target: SA02 target 1.0,
CH01 6 upgraded stations city-wide, CH02 1.0, CH03 1.0 (SA04, SA05, SA06, CH05 are monitored).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sources.common.regions import COUNTIES


@dataclass(frozen=True)
class AssistanceProfile:
    sa02_after_death: float  # deceased two-subsidy recipients paid on for 1-3 months
    sa02_care_low_grade: float  # grade 3-4 persons wrongly paid the care subsidy
    sa02_living_no_household: (
        float  # persons in no 低保/特困/低收入 household paid the living subsidy
    )
    sa02_duplicate: float  # two-subsidy payments paid twice for the same month
    sa04_timely: float  # monitoring alerts closed within 30 days
    ch01_upgrades: tuple[int, int]  # stations upgraded to provincial demonstration in 2023, 2024
    ch02_trained: float  # child workers in post trained in the year
    ch03_full: float  # child-months paid at least the standard


SA_PROFILES: dict[str, AssistanceProfile] = {
    "321202": AssistanceProfile(0.0, 0.0, 0.0, 0.0, 0.95, (1, 2), 1.00, 1.000),
    "321203": AssistanceProfile(0.15, 0.004, 0.002, 0.001, 0.88, (0, 1), 0.97, 0.995),
    "321204": AssistanceProfile(0.0, 0.0, 0.0, 0.0, 0.91, (1, 1), 1.00, 1.000),
    "321281": AssistanceProfile(0.35, 0.012, 0.008, 0.003, 0.74, (1, 1), 0.90, 0.970),
    "321282": AssistanceProfile(0.05, 0.0, 0.001, 0.0, 0.93, (0, 1), 0.98, 1.000),
    "321283": AssistanceProfile(0.25, 0.008, 0.004, 0.002, 0.80, (1, 1), 0.95, 0.985),
}
assert tuple(SA_PROFILES) == COUNTIES


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

SA_PROJECTS = ("冷暖有助", "兜底监护", "留泰圆梦")
CH_PROJECTS = ("点亮星空", "点亮梦想", "点亮人生", "点亮心灯")
OTHER_PROJECTS = ("慈善助医",)  # served on the platform but not named in the plan
ALERT_DECISIONS = (
    "纳入低保",
    "纳入特困",
    "纳入低保边缘",
    "给予临时救助",
    "转介其他部门",
    "核查不符合条件",
)

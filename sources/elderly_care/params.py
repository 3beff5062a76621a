"""Per-district parameters of the elderly-care line: some districts meet 2024 targets, some lag.

Order of every tuple: 321202 321203 321204 321281 321282 321283 (sources.common.regions.COUNTIES).
"""

from __future__ import annotations

from dataclasses import dataclass

from sources.common.regions import COUNTIES


@dataclass(frozen=True)
class ElderlyProfile:
    street_centres_new_2024: int  # EC01: 街道综合养老服务中心 opened in 2024
    station_cover_2023: float  # EC02: urban communities with a station at the end of 2023
    station_cover_2024: float  # ... and at the end of 2024
    mutual_aid_upgrade_rate: float  # EC05: share of 睦邻点 upgraded to 示范性 in 2024
    meal_upgrade_rate: float  # EC07: share of 助餐点 upgraded to 标准化 in 2024
    rated_rate: float  # EC08: institutions ever graded
    grade2_rate: float  # EC09: graded 敬老院 at 二级 or above
    gov_service_rate: float  # EC06: 60+ residents served by government purchase in a year
    visit_rate: float  # EC15: special-difficulty elders visited in a month
    cert_rate: float  # EC12: caregivers ever certified
    rotation_rate: float  # EC16: staff trained in a year
    brand_orgs_2024: int  # EC13: organizations recognized as brand/chain in 2024
    smart_training_2024: int  # EC14: person-times at scale 1


EC_PROFILES: dict[str, ElderlyProfile] = {
    "321202": ElderlyProfile(2, 0.92, 1.00, 0.15, 0.09, 0.82, 0.92, 0.205, 1.00, 0.72, 1.00, 3, 150),  # noqa: E501
    "321203": ElderlyProfile(1, 0.85, 0.97, 0.12, 0.08, 0.74, 0.85, 0.180, 0.97, 0.63, 0.95, 2, 60),
    "321204": ElderlyProfile(1, 0.90, 1.00, 0.14, 0.08, 0.78, 0.88, 0.190, 0.99, 0.66, 0.98, 2, 110),  # noqa: E501
    "321281": ElderlyProfile(1, 0.70, 0.88, 0.08, 0.05, 0.60, 0.70, 0.140, 0.90, 0.50, 0.85, 1, 120),  # noqa: E501
    "321282": ElderlyProfile(1, 0.88, 1.00, 0.15, 0.09, 0.80, 0.90, 0.190, 1.00, 0.68, 1.00, 2, 100),  # noqa: E501
    "321283": ElderlyProfile(1, 0.75, 0.93, 0.12, 0.07, 0.66, 0.78, 0.160, 0.94, 0.55, 0.90, 1, 90),
}  # fmt: skip
assert tuple(EC_PROFILES) == COUNTIES

# Older residents (60+) at scale 1.0, about 30% of Taizhou's registered population (domain.md).
OLDER_RESIDENTS = 1_350_000
# Special-difficulty flags among 60+ residents.
LIVING_ALONE_RATE = 0.04
LEFT_BEHIND_RATE = 0.025
DISABLED_RATE = 0.02
LOW_INCOME_RATE = 0.03
# Home-service orders per government-served person per year (1 + Poisson: about one service a
# month, the usual purchased package) and the non-purchased share.
ORDERS_PER_SERVED = 13.0
PRIVATE_ORDER_SHARE = 0.3
# Visits beyond the first in a month a flagged resident is visited (Poisson): weekly calls for
# those living alone, monthly home visits for the rest.
EXTRA_VISITS_PER_VISITED_MONTH = 0.9

"""The elderly-care simulation's calibration, from the city profile (simulation/elderly_care.csv
per district, the elderly_care section of city.yml): some districts meet the targets, some lag.
"""

from __future__ import annotations

from dataclasses import dataclass

from sources.common.profiles import city_calibration, district_table


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


EC_PROFILES: dict[str, ElderlyProfile] = district_table("elderly_care.csv", ElderlyProfile)
CITY = city_calibration("elderly_care")

# Older residents (60+) at scale 1.0.
OLDER_RESIDENTS = int(CITY["older_residents"])
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

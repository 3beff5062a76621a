"""The registry simulation's calibration, from the city profile (simulation/social_org_registry.csv
per registering authority, the social_org_registry section of city.yml)."""

from __future__ import annotations

from dataclasses import dataclass

from sources.common.profiles import city_calibration, district_table
from sources.common.regions import CITY_CODE, COUNTIES


@dataclass(frozen=True)
class AuthorityRates:
    """Per registering authority: the city bureau and each district's."""

    sp04_graded_rate: float  # active organizations holding a valid grade
    sp05_submit_rate: float  # required organizations submitting last year's 年检 by year end


@dataclass(frozen=True)
class DistrictCoverage:
    sp06_charity_branch_coverage: float  # real towns/streets with a charity branch by plan year end
    sp07_service_brand_coverage: float  # urban communities with a service brand by plan year end


RATES: dict[str, AuthorityRates] = district_table(
    "social_org_registry.csv", AuthorityRates, (CITY_CODE, *COUNTIES)
)
DISTRICT_RATES: dict[str, DistrictCoverage] = district_table(
    "social_org_registry.csv", DistrictCoverage
)
CITY = city_calibration("social_org_registry")

"""The civil-registry simulation's calibration, from the city profile (simulation/civil_registry.csv
per district, the civil_registry section of city.yml)."""

from __future__ import annotations

from dataclasses import dataclass

from sources.common.profiles import city_calibration, district_table


@dataclass(frozen=True)
class CivilProfile:
    cross_province_marriage_rate: float  # registrations under 跨省通办 (after it began)
    rescue_station: str | None  # the district's 救助管理站, if it has one
    rescue_station_share: float | None  # ... and its share of the city's stays


CIVIL_PROFILES: dict[str, CivilProfile] = district_table("civil_registry.csv", CivilProfile)
CITY = city_calibration("civil_registry")
# The rescue stations by district: (name, share of the stays).
RESCUE_STATIONS: dict[str, tuple[str, float]] = {
    code: (profile.rescue_station, profile.rescue_station_share)
    for code, profile in CIVIL_PROFILES.items()
    if profile.rescue_station is not None and profile.rescue_station_share is not None
}

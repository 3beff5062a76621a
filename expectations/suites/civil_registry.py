"""Contracts of the civil-registry daily files (docs/sources_and_raw_zone.md)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.severity import BLOCKING, WARNING
from sources.civil_registry.client import ENTITY_COLUMNS
from sources.common.regions import COUNTIES

RAW_METADATA = ["_batch_id", "_extracted_at", "_source_file"]

DEATH_COLUMNS = [
    "death_record_id",
    "record_version",
    "deceased_id_number",
    "deceased_name",
    "sex",
    "birth_date",
    "death_date",
    "registration_date",
    "registration_county_code",
    "cremated",
    "via_96444",
    "funeral_home",
]

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def deaths() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.civil_registry.deaths",
        expectations=[
            gxe.ExpectTableColumnsToMatchSet(
                column_set=DEATH_COLUMNS + RAW_METADATA, exact_match=True, meta=BLOCKING
            ),
            *[
                gxe.ExpectColumnValuesToNotBeNull(column=column, meta=BLOCKING)
                for column in (
                    "death_record_id",
                    "record_version",
                    "deceased_id_number",
                    "death_date",
                    "registration_date",
                    "registration_county_code",
                )
            ],
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["death_record_id", "record_version"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="record_version", regex=r"^[1-9]\d*$", meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(column="death_date", regex=_ISO_DATE, meta=BLOCKING),
            gxe.ExpectColumnValuesToMatchRegex(
                column="registration_date", regex=_ISO_DATE, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="via_96444", value_set=["是", "否"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="cremated", value_set=["是", "否"], meta=WARNING
            ),
            gxe.ExpectColumnValuesToBeInSet(column="sex", value_set=["男", "女"], meta=WARNING),
            gxe.ExpectColumnValuesToBeInSet(
                column="registration_county_code", value_set=list(COUNTIES), meta=BLOCKING
            ),
            gxe.ExpectColumnValueLengthsToEqual(
                column="deceased_id_number", value=18, meta=WARNING
            ),
        ],
    )


def _versioned(entity: str, key: str, not_null: list[str]) -> list:
    return [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=ENTITY_COLUMNS[entity] + RAW_METADATA, exact_match=True, meta=BLOCKING
        ),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=BLOCKING) for c in [key, *not_null]],
        gxe.ExpectColumnValuesToMatchRegex(
            column="record_version", regex=r"^[1-9]\d*$", meta=BLOCKING
        ),
    ]


def marriages() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.civil_registry.marriages",
        expectations=[
            *_versioned(
                "marriages",
                "registration_id",
                ["registration_type", "registration_date", "registration_county_code"],
            ),
            # The exchange re-sends a few rows; staging keeps one. Warn so they are seen.
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["registration_id", "record_version"], meta=WARNING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="registration_type", value_set=["结婚", "离婚"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="registration_county_code", value_set=list(COUNTIES), meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="is_cross_province", value_set=["是", "否"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="registration_date", regex=_ISO_DATE, meta=BLOCKING
            ),
            gxe.ExpectColumnValueLengthsToEqual(column="male_id_number", value=18, meta=WARNING),
            gxe.ExpectColumnValueLengthsToEqual(column="female_id_number", value=18, meta=WARNING),
        ],
    )


def ashes_facility_projects() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.civil_registry.ashes_facility_projects",
        expectations=[
            *_versioned("ashes_facility_projects", "project_id", ["county_code", "project_status"]),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["project_id", "record_version"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="county_code", value_set=list(COUNTIES), meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="construction_type", value_set=["新建", "扩建", "修缮"], meta=WARNING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="project_status", value_set=["在建", "已竣工", "暂停"], meta=WARNING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="completed_date", regex=_ISO_DATE, meta=BLOCKING
            ),
        ],
    )


def funeral_home_renovation() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.civil_registry.funeral_home_renovation",
        expectations=[
            *_versioned("funeral_home_renovation", "milestone_id", ["project_id", "milestone_seq"]),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["milestone_id", "record_version"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="milestone_seq", regex=r"^[1-9]\d*$", meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="completed_date", regex=_ISO_DATE, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="milestone_status", value_set=["未开始", "进行中", "已完成"], meta=WARNING
            ),
        ],
    )


def rescue_station_stays() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.civil_registry.rescue_station_stays",
        expectations=[
            *_versioned(
                "rescue_station_stays", "stay_id", ["station_county_code", "admitted_date"]
            ),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["stay_id", "record_version"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="station_county_code", value_set=list(COUNTIES), meta=BLOCKING
            ),
            *[
                gxe.ExpectColumnValuesToMatchRegex(column=c, regex=_ISO_DATE, meta=BLOCKING)
                for c in ("admitted_date", "identity_established_date", "left_date")
            ],
            gxe.ExpectColumnValuesToBeInSet(column="sex", value_set=["男", "女"], meta=WARNING),
        ],
    )


SUITES = {
    "deaths": deaths,
    "marriages": marriages,
    "ashes_facility_projects": ashes_facility_projects,
    "funeral_home_renovation": funeral_home_renovation,
    "rescue_station_stays": rescue_station_stays,
}

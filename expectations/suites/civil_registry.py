"""Contracts of the civil-registry daily files (docs/sources_and_raw_zone.md)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.severity import BLOCKING, WARNING
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

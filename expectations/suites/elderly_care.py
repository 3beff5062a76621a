"""Contracts of the elderly-care database tables (docs/sources_and_raw_zone.md, elderly_care).

Structure (columns, keys, dates, codes) blocks; business validity (enumerations that staging also
guards, check digits) warns or blocks with ``mostly`` where a little dirt is expected.
"""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.severity import BLOCKING, WARNING
from sources.common.regions import COUNTIES

RAW_METADATA = ["_batch_id", "_extracted_at", "_source_file"]
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_TIMESTAMP = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
YES_NO = ["是", "否"]

COLUMNS: dict[str, list[str]] = {
    "institutions": [
        "institution_id", "institution_name", "institution_type", "county_code", "town_code",
        "credit_code", "opened_date", "closed_date", "standardized_date", "updated_at",
    ],
    "bed_capacity_changes": [
        "change_id", "institution_id", "effective_date", "total_beds", "nursing_beds", "updated_at",
    ],
    "institution_ratings": [
        "rating_id", "institution_id", "grade", "rated_date", "valid_until", "updated_at",
    ],
    "community_facilities": [
        "facility_id", "facility_name", "facility_type", "county_code", "town_code",
        "village_code", "opened_date", "status", "updated_at",
    ],
    "facility_events": [
        "event_id", "facility_id", "event_type", "event_date", "upgrade_level", "updated_at",
    ],
    "service_organizations": [
        "org_id", "org_name", "credit_code", "county_code", "recognition_type",
        "recognized_date", "updated_at",
    ],
    "older_residents": [
        "resident_id", "id_number", "resident_name", "sex", "birth_date", "village_code",
        "living_alone", "left_behind", "disabled", "low_income", "updated_at",
    ],
    "home_service_orders": [
        "order_id", "resident_id", "provider_org_id", "service_type", "service_date",
        "is_government_purchased", "order_status", "amount", "updated_at",
    ],
    "care_visits": [
        "visit_id", "resident_id", "visit_date", "visit_method", "visitor_role", "updated_at",
    ],
    "smart_tech_trainings": [
        "attendance_id", "resident_id", "course", "training_date", "updated_at",
    ],
    "care_staff": [
        "staff_id", "id_number", "staff_name", "institution_id", "role", "hired_date",
        "left_date", "skill_level", "certified_date", "certificate_valid_until", "updated_at",
    ],
    "rotation_trainings": [
        "training_id", "staff_id", "course", "training_date", "updated_at",
    ],
}  # fmt: skip

# Per table: (business key, columns never null, date columns).
SHAPE: dict[str, tuple[str, list[str], list[str]]] = {
    "institutions": (
        "institution_id",
        ["institution_type", "county_code", "opened_date"],
        ["opened_date", "closed_date", "standardized_date"],
    ),
    "bed_capacity_changes": (
        "change_id",
        ["institution_id", "effective_date", "total_beds", "nursing_beds"],
        ["effective_date"],
    ),
    "institution_ratings": (
        "rating_id",
        ["institution_id", "grade", "rated_date", "valid_until"],
        ["rated_date", "valid_until"],
    ),
    "community_facilities": (
        "facility_id",
        ["facility_type", "county_code", "opened_date"],
        ["opened_date"],
    ),
    "facility_events": ("event_id", ["facility_id", "event_type", "event_date"], ["event_date"]),
    "service_organizations": ("org_id", ["county_code"], ["recognized_date"]),
    "older_residents": ("resident_id", ["id_number", "birth_date", "village_code"], ["birth_date"]),
    "home_service_orders": (
        "order_id",
        ["resident_id", "service_date", "is_government_purchased", "order_status"],
        ["service_date"],
    ),
    "care_visits": ("visit_id", ["resident_id", "visit_date"], ["visit_date"]),
    "smart_tech_trainings": ("attendance_id", ["resident_id", "training_date"], ["training_date"]),
    "care_staff": (
        "staff_id",
        ["institution_id", "role", "hired_date"],
        ["hired_date", "left_date", "certified_date", "certificate_valid_until"],
    ),
    "rotation_trainings": ("training_id", ["staff_id", "training_date"], ["training_date"]),
}

# Enumerations: (column, allowed values, severity).
VALUE_SETS: dict[str, list[tuple[str, list[str], dict[str, str]]]] = {
    "institutions": [
        (
            "institution_type",
            [
                "公办养老机构",
                "民办养老机构",
                "农村敬老院",
                "区域性养老服务中心",
                "失能特困供养机构",
            ],
            BLOCKING,
        ),
        ("county_code", list(COUNTIES), BLOCKING),
    ],
    "institution_ratings": [("grade", ["一级", "二级", "三级", "四级", "五级"], BLOCKING)],
    "community_facilities": [
        (
            "facility_type",
            ["街道综合养老服务中心", "社区养老服务站", "互助养老睦邻点", "社区助餐点"],
            BLOCKING,
        ),
        ("county_code", list(COUNTIES), BLOCKING),
        ("status", ["运营", "停业"], WARNING),
    ],
    "facility_events": [
        ("event_type", ["开业", "停业", "恢复运营", "升级改造"], BLOCKING),
        ("upgrade_level", ["示范性", "标准化"], BLOCKING),
    ],
    "service_organizations": [
        ("county_code", list(COUNTIES), BLOCKING),
        ("recognition_type", ["品牌化", "连锁化"], BLOCKING),
    ],
    "older_residents": [
        ("sex", ["男", "女"], WARNING),
        *[
            (flag, YES_NO, BLOCKING)
            for flag in ("living_alone", "left_behind", "disabled", "low_income")
        ],
    ],
    "home_service_orders": [
        ("is_government_purchased", YES_NO, BLOCKING),
        ("order_status", ["已完成", "已取消"], BLOCKING),
    ],
    "care_staff": [("role", ["机构负责人", "养老护理员"], BLOCKING)],
}


def _suite(table: str) -> gx.ExpectationSuite:
    key, required, dates = SHAPE[table]
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=COLUMNS[table] + RAW_METADATA, exact_match=True, meta=BLOCKING
        ),
        gxe.ExpectColumnValuesToNotBeNull(column=key, meta=BLOCKING),
        gxe.ExpectColumnValuesToNotBeNull(column="updated_at", meta=BLOCKING),
        gxe.ExpectColumnValuesToMatchRegex(column="updated_at", regex=_TIMESTAMP, meta=BLOCKING),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=BLOCKING) for c in required],
        *[
            gxe.ExpectColumnValuesToMatchRegex(column=c, regex=_ISO_DATE, meta=BLOCKING)
            for c in dates
        ],
        *[
            gxe.ExpectColumnValuesToBeInSet(column=c, value_set=values, meta=severity)
            for c, values, severity in VALUE_SETS.get(table, [])
        ],
    ]
    if table == "older_residents":
        expectations += [
            gxe.ExpectColumnValueLengthsToEqual(column="id_number", value=18, meta=WARNING),
            # Records pointing to unknown villages are expected (quarantined in staging).
            gxe.ExpectColumnValuesToMatchRegex(
                column="village_code", regex=r"^3212\d{8}$", mostly=0.99, meta=BLOCKING
            ),
        ]
    if table == "home_service_orders":
        expectations.append(
            gxe.ExpectColumnValuesToMatchRegex(column="amount", regex=r"^\d+$", meta=WARNING)
        )
    if table == "bed_capacity_changes":
        expectations += [
            gxe.ExpectColumnValuesToMatchRegex(column=c, regex=r"^\d+$", meta=BLOCKING)
            for c in ("total_beds", "nursing_beds")
        ]
    return gx.ExpectationSuite(name=f"raw.elderly_care.{table}", expectations=expectations)


def suite_factory(table: str) -> Callable[[], gx.ExpectationSuite]:
    """A zero-argument factory for ``table``'s suite (the shape RAW_SUITES holds)."""
    return lambda: _suite(table)


TABLES = tuple(COLUMNS)

"""Contracts of the smart-assistance API entities (docs/sources_and_raw_zone.md).

Structural rules (columns, keys, timestamps, codes the KPIs group by) are blocking; business
validity (ID length, plausible amounts, code lists that only describe) is a warning or blocking
with ``mostly``. The suites run over every landed batch, so a key repeats once per version: the
version key is (key, updated_at).
"""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.severity import BLOCKING, WARNING
from sources.common.regions import COUNTIES
from sources.smart_assistance.params import (
    ALERT_DECISIONS,
    CH_PROJECTS,
    OTHER_PROJECTS,
    SA_PROJECTS,
    SUBSIDY_TYPES,
)
from sources.smart_assistance.simulator import (
    CASE_COLUMNS,
    ENTITY_TABLES,
    SURVEY_COLUMNS,
)

RAW_METADATA = ["_batch_id", "_extracted_at", "_source_file"]
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_ISO_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_ISO_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$"
_AMOUNT = r"^\d+(\.\d{1,2})?$"
_VILLAGE = r"^3212\d{8}$"

COLUMNS: dict[str, list[str]] = {
    "assistance_cases": CASE_COLUMNS,
    "child_survey_submissions": SURVEY_COLUMNS,
    **{entity: columns for entity, (_, columns) in ENTITY_TABLES.items()},
}
KEYS: dict[str, str] = {
    "assistance_cases": "case_id",
    "child_survey_submissions": "submission_id",
    **{entity: key for entity, (key, _) in ENTITY_TABLES.items()},
}


def _base(entity: str, required: list[str]) -> list[gxe.Expectation]:
    key = KEYS[entity]
    return [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=COLUMNS[entity] + RAW_METADATA, exact_match=True, meta=BLOCKING
        ),
        *[
            gxe.ExpectColumnValuesToNotBeNull(column=column, meta=BLOCKING)
            for column in (key, "updated_at", *required)
        ],
        gxe.ExpectCompoundColumnsToBeUnique(column_list=[key, "updated_at"], meta=BLOCKING),
        gxe.ExpectColumnValuesToMatchRegex(
            column="updated_at", regex=_ISO_TIMESTAMP, meta=BLOCKING
        ),
    ]


def _dates(*columns: str, regex: str = _ISO_DATE) -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToMatchRegex(column=c, regex=regex, meta=BLOCKING) for c in columns
    ]


def _county(column: str, severity: dict[str, str] = BLOCKING) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(COUNTIES), meta=severity)


def _id_length(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValueLengthsToEqual(column=column, value=18, meta=WARNING)


def _suite(entity: str, expectations: list[gxe.Expectation]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=f"raw.smart_assistance.{entity}", expectations=expectations)


def assistance_cases() -> gx.ExpectationSuite:
    return _suite(
        "assistance_cases",
        [
            *_base("assistance_cases", ["case_type", "case_status", "applied_date"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="case_type", value_set=["低保", "特困", "临时救助"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="case_status",
                value_set=["审核中", "已批准", "不予批准", "已终止"],
                meta=BLOCKING,
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="origin", value_set=["依申请", "主动发现"], meta=BLOCKING
            ),
            *_dates("applied_date", "approved_date", "terminated_date"),
            _county("handling_county_code", WARNING),
            _county("registered_county_code", WARNING),
            _id_length("applicant_id_number"),
            gxe.ExpectColumnValuesToMatchRegex(
                column="monthly_amount", regex=_AMOUNT, meta=WARNING
            ),
        ],
    )


def child_survey_submissions() -> gx.ExpectationSuite:
    return _suite(
        "child_survey_submissions",
        [
            *_base("child_survey_submissions", ["village_code", "survey_month"]),
            *_dates("survey_month", regex=_ISO_MONTH),
            gxe.ExpectColumnValuesToMatchRegex(
                column="village_code", regex=_VILLAGE, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="left_behind_children", regex=r"^\d+$", meta=WARNING
            ),
        ],
    )


def persons() -> gx.ExpectationSuite:
    return _suite(
        "persons",
        [
            *_base("persons", ["id_number", "registered_county_code"]),
            _id_length("id_number"),
            _county("registered_county_code"),
            gxe.ExpectColumnValuesToBeInSet(
                column="disability_grade", value_set=["一级", "二级", "三级", "四级"], meta=WARNING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="household_category",
                value_set=["低保", "特困", "低收入", "一般"],
                meta=WARNING,
            ),
            *_dates("birth_date", "disability_cert_date"),
        ],
    )


def subsidy_payments() -> gx.ExpectationSuite:
    return _suite(
        "subsidy_payments",
        [
            *_base(
                "subsidy_payments",
                ["recipient_id_number", "subsidy_type", "payment_month", "amount"],
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="subsidy_type", value_set=list(SUBSIDY_TYPES), meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="temp_assistance_kind", value_set=["急难型", "支出型"], meta=BLOCKING
            ),
            *_dates("payment_month", regex=_ISO_MONTH),
            *_dates("paid_date"),
            gxe.ExpectColumnValuesToMatchRegex(column="amount", regex=_AMOUNT, meta=BLOCKING),
            _county("paying_county_code"),
            _id_length("recipient_id_number"),
        ],
    )


def monitoring_alerts() -> gx.ExpectationSuite:
    return _suite(
        "monitoring_alerts",
        [
            *_base("monitoring_alerts", ["raised_at", "county_code", "alert_status"]),
            gxe.ExpectColumnValuesToMatchRegex(
                column="raised_at", regex=_ISO_TIMESTAMP, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="closed_at", regex=_ISO_TIMESTAMP, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="alert_status", value_set=["待处置", "处置中", "已办结"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="decision", value_set=list(ALERT_DECISIONS), meta=WARNING
            ),
            _county("county_code"),
        ],
    )


def project_services() -> gx.ExpectationSuite:
    return _suite(
        "project_services",
        [
            *_base("project_services", ["project_name", "service_date", "service_status"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="project_name",
                value_set=[*SA_PROJECTS, *CH_PROJECTS, *OTHER_PROJECTS],
                meta=WARNING,
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="service_status", value_set=["已完成", "已取消"], meta=BLOCKING
            ),
            *_dates("service_date"),
            _county("county_code"),
        ],
    )


def children_in_difficulty() -> gx.ExpectationSuite:
    return _suite(
        "children_in_difficulty",
        [
            *_base(
                "children_in_difficulty",
                ["id_number", "county_code", "eligible_from", "monthly_standard"],
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="child_category", value_set=["孤儿", "事实无人抚养儿童"], meta=BLOCKING
            ),
            *_dates("eligible_from", "eligible_to", "birth_date"),
            gxe.ExpectColumnValuesToMatchRegex(
                column="monthly_standard", regex=_AMOUNT, meta=BLOCKING
            ),
            _county("county_code"),
            _id_length("id_number"),
        ],
    )


def protection_stations() -> gx.ExpectationSuite:
    return _suite(
        "protection_stations",
        [
            *_base("protection_stations", ["county_code", "station_level"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="station_level",
                value_set=["普通站", "市级示范站", "省级示范站"],
                meta=BLOCKING,
            ),
            *_dates("established_date", "provincial_demo_date"),
            _county("county_code"),
        ],
    )


def child_workers() -> gx.ExpectationSuite:
    return _suite(
        "child_workers",
        [
            *_base("child_workers", ["worker_role", "county_code", "appointed_date"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="worker_role", value_set=["儿童督导员", "儿童主任"], meta=BLOCKING
            ),
            *_dates("appointed_date", "left_date"),
            _county("county_code"),
        ],
    )


def worker_trainings() -> gx.ExpectationSuite:
    return _suite(
        "worker_trainings",
        [
            *_base("worker_trainings", ["worker_id", "training_date"]),
            *_dates("training_date"),
            gxe.ExpectColumnValuesToMatchRegex(
                column="training_hours", regex=r"^\d+$", mostly=0.99, meta=WARNING
            ),
        ],
    )


SUITES: dict[str, Callable[[], gx.ExpectationSuite]] = {
    "assistance_cases": assistance_cases,
    "child_survey_submissions": child_survey_submissions,
    "persons": persons,
    "subsidy_payments": subsidy_payments,
    "monitoring_alerts": monitoring_alerts,
    "project_services": project_services,
    "children_in_difficulty": children_in_difficulty,
    "protection_stations": protection_stations,
    "child_workers": child_workers,
    "worker_trainings": worker_trainings,
}

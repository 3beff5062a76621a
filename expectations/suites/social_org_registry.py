"""Contracts of the social-organization registry's full exports (docs/sources_and_raw_zone.md).

Structural rules (columns, keys, codes the warehouse joins on) block; business validity (results,
states, dates that parse) warns, or blocks only past a tolerance (``mostly``).
"""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.severity import BLOCKING, WARNING
from sources.common.regions import CITY_CODE, COUNTIES
from sources.social_org_registry.client import EXPORT_COLUMNS

RAW_METADATA = ["_batch_id", "_extracted_at", "_source_file"]
AUTHORITIES = [*COUNTIES, CITY_CODE]
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_CREDIT_CODE = r"^5[123][0-9A-Z]{16}$"


def _base(entity: str, keys: list[str], not_null: list[str]) -> list:
    return [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=EXPORT_COLUMNS[entity] + RAW_METADATA, exact_match=True, meta=BLOCKING
        ),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=BLOCKING) for c in not_null],
        # A full export holds each key once; every export is its own batch (one source file).
        gxe.ExpectCompoundColumnsToBeUnique(column_list=[*keys, "_source_file"], meta=BLOCKING),
    ]


def _dates(columns: list[str], severity: dict = WARNING) -> list:
    return [
        gxe.ExpectColumnValuesToMatchRegex(column=c, regex=_ISO_DATE, meta=severity)
        for c in columns
    ]


def organizations() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.organizations",
        expectations=[
            *_base("organizations", ["统一社会信用代码"], ["统一社会信用代码", "登记管理机关代码"]),
            gxe.ExpectColumnValuesToMatchRegex(
                column="统一社会信用代码", regex=_CREDIT_CODE, mostly=0.99, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="登记管理机关代码", value_set=AUTHORITIES, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="登记状态", value_set=["正常", "注销", "撤销"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="社会组织类型",
                value_set=["社会团体", "民办非企业单位", "基金会"],
                meta=WARNING,
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="是否慈善组织", value_set=["是", "否"], meta=WARNING
            ),
            *_dates(["成立登记日期", "注销撤销日期"]),
        ],
    )


def evaluation_grades() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.evaluation_grades",
        expectations=[
            *_base(
                "evaluation_grades",
                ["统一社会信用代码", "评定日期"],
                ["统一社会信用代码", "评定日期", "有效期至"],
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="评估等级", value_set=["1A", "2A", "3A", "4A", "5A"], meta=BLOCKING
            ),
            *_dates(["评定日期", "有效期至"], BLOCKING),
            gxe.ExpectColumnValuesToMatchRegex(
                column="评估得分", regex=r"^\d{1,4}(\.\d+)?$", meta=WARNING
            ),
        ],
    )


def annual_inspections() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.annual_inspections",
        expectations=[
            *_base(
                "annual_inspections",
                ["统一社会信用代码", "年检年度"],
                ["统一社会信用代码", "年检年度", "登记管理机关代码", "是否应参检", "是否已报送"],
            ),
            gxe.ExpectColumnValuesToMatchRegex(column="年检年度", regex=r"^\d{4}$", meta=BLOCKING),
            gxe.ExpectColumnValuesToBeInSet(
                column="登记管理机关代码", value_set=AUTHORITIES, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="是否应参检", value_set=["是", "否"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="是否已报送", value_set=["是", "否"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="年检结论", value_set=["合格", "基本合格", "不合格"], meta=WARNING
            ),
            *_dates(["报送日期", "结论日期"]),
        ],
    )


def charity_branches() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.charity_branches",
        expectations=[
            *_base("charity_branches", ["分会编号"], ["分会编号", "所在镇街代码", "成立日期"]),
            gxe.ExpectColumnValuesToMatchRegex(
                column="所在镇街代码", regex=r"^3212\d{5}000$", meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="分会状态", value_set=["正常", "撤销"], meta=WARNING
            ),
            *_dates(["成立日期", "撤销日期"]),
        ],
    )


def social_worker_selections() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.social_worker_selections",
        expectations=[
            *_base(
                "social_worker_selections",
                ["选拔编号"],
                ["选拔编号", "身份证号", "选拔类别", "选拔日期", "县级区划代码"],
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="选拔类别", value_set=["全科社工", "金牌社工"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="县级区划代码", value_set=list(COUNTIES), meta=BLOCKING
            ),
            gxe.ExpectColumnValueLengthsToEqual(column="身份证号", value=18, meta=WARNING),
            *_dates(["选拔日期"], BLOCKING),
        ],
    )


def flagship_projects() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.flagship_projects",
        expectations=[
            *_base("flagship_projects", ["项目编号"], ["项目编号", "县级区划代码", "立项日期"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="县级区划代码", value_set=list(COUNTIES), meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="项目状态", value_set=["已立项", "已实施", "已终止"], meta=WARNING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="项目类型", value_set=["邻里中心", "五美驿站"], meta=WARNING
            ),
            *_dates(["立项日期", "实施日期"]),
        ],
    )


def community_service_brands() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw.social_org_registry.community_service_brands",
        expectations=[
            *_base("community_service_brands", ["品牌编号"], ["品牌编号", "社区代码", "登记日期"]),
            gxe.ExpectColumnValuesToMatchRegex(
                column="社区代码", regex=r"^3212\d{8}$", meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="品牌状态", value_set=["有效", "撤销"], meta=WARNING
            ),
            *_dates(["登记日期", "撤销日期"]),
        ],
    )


SUITES: dict[str, Callable[[], gx.ExpectationSuite]] = {
    "organizations": organizations,
    "evaluation_grades": evaluation_grades,
    "annual_inspections": annual_inspections,
    "charity_branches": charity_branches,
    "social_worker_selections": social_worker_selections,
    "flagship_projects": flagship_projects,
    "community_service_brands": community_service_brands,
}

"""Contracts of what leaves the warehouse: the KPI table leadership and the province read."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.severity import BLOCKING

# 无数据: a ratio of 0 of 0; 不公开: a small cell about children, withheld.
STATUSES = ["达标", "序时达标", "滞后", "监测", "无数据", "不公开"]
# A plan gives a target (explicit or implied) or only monitors; the year before a plan is its
# baseline, with no target either.
TARGETED = ["explicit", "implied"]
UNTARGETED = ["monitor", "baseline"]
TARGET_BASES = TARGETED + UNTARGETED


def kpi_progress(expected_rows: int) -> gx.ExpectationSuite:
    """``expected_rows``: every KPI a year reports × reported month × its regions."""
    return gx.ExpectationSuite(
        name="published.kpi.kpi_progress",
        expectations=[
            gxe.ExpectTableRowCountToEqual(value=expected_rows, meta=BLOCKING),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["kpi_code", "period_month", "region_code"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES, meta=BLOCKING),
            gxe.ExpectColumnValuesToBeInSet(
                column="region_level", value_set=["city", "county"], meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="actual_value",
                min_value=0,
                max_value=1,
                row_condition=Column("measure_type") == "ratio",
                meta=BLOCKING,
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="target_basis", value_set=TARGET_BASES, meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="target_value",
                row_condition=Column("target_basis").is_in(TARGETED),
                meta=BLOCKING,
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="actual_value",
                row_condition=Column("target_basis") == "explicit",
                meta=BLOCKING,
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="target_value",
                row_condition=Column("target_basis").is_in(UNTARGETED),
                meta=BLOCKING,
            ),
            *[
                gxe.ExpectColumnValuesToNotBeNull(column=column, meta=BLOCKING)
                for column in ("kpi_code", "period_month", "region_code", "status", "data_as_of")
            ],
        ],
    )

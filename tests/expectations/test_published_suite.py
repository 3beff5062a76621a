"""The published KPI contract's conditional rules, each on one hand-made row."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.runner import validate_frame
from expectations.suites import published

ROW = {
    "kpi_code": "SA01",
    "period_month": "2024-12-01",
    "region_code": "321200",
    "region_level": "city",
    "status": "达标",
    "data_as_of": "2024-12-31",
    "measure_type": "ratio",
    "actual_value": 0.5,
    "target_value": 0.4,
    "target_basis": "explicit",
}


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        ({}, None),
        ({"actual_value": 1.5}, "expect_column_values_to_be_between on actual_value"),
        ({"measure_type": "count", "actual_value": 5.0}, None),
        ({"target_value": None}, "expect_column_values_to_not_be_null on target_value"),
        ({"actual_value": None}, "expect_column_values_to_not_be_null on actual_value"),
        ({"target_basis": "monitor"}, "expect_column_values_to_be_null on target_value"),
        ({"target_basis": "monitor", "target_value": None}, None),
        ({"target_basis": "baseline"}, "expect_column_values_to_be_null on target_value"),
        ({"target_basis": "baseline", "target_value": None}, None),
        ({"target_basis": "implied", "target_value": None}, "expect_column_values_to_not_be_null"),
        ({"target_basis": "guessed"}, "expect_column_values_to_be_in_set on target_basis"),
    ],
    ids=[
        "clean",
        "ratio above 1",
        "count above 1",
        "target missing",
        "explicit without actual",
        "monitor with a target",
        "monitor without a target",
        "baseline with a target",
        "baseline without a target",
        "implied without a target",
        "unknown basis",
    ],
)
def test_each_conditional_rule_applies_to_its_rows_only(
    change: dict[str, object], broken: str | None
) -> None:
    outcome = validate_frame(published.kpi_progress(1), pd.DataFrame([{**ROW, **change}]))
    failed = [failure.describe() for failure in outcome.blocking_failures]
    if broken is None:
        assert outcome.passed, failed
    else:
        assert len(failed) == 1 and failed[0].startswith(broken), failed

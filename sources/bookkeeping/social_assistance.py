"""Truth for the social-assistance line (SA)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import in_ytd, period_ends, truth_rows
from sources.common.regions import COUNTIES


def _sa(cases: pd.DataFrame, plan_year: int) -> list[dict]:
    rows: list[dict] = []
    temp = cases[
        (cases["case_type"] == "临时救助")
        & (cases["case_status"] == "已批准")
        & cases["emergency_county_code"].isin(COUNTIES)
        & (cases["emergency_county_code"] != cases["registered_county_code"])
    ]
    assisted = cases[cases["case_type"].isin(["低保", "特困", "临时救助"])]
    for month in period_ends(plan_year):
        sa01 = temp[in_ytd(temp["approved_date"], plan_year, month)]
        direct = sa01["handling_county_code"] == sa01["emergency_county_code"]
        rows += truth_rows(
            "SA01",
            month,
            sa01[direct].groupby("emergency_county_code").size(),
            sa01.groupby("emergency_county_code").size(),
        )
        sa03 = assisted[in_ytd(assisted["applied_date"], plan_year, month)]
        found = sa03["origin"] == "主动发现"
        rows += truth_rows(
            "SA03",
            month,
            sa03[found].groupby("handling_county_code").size(),
            sa03.groupby("handling_county_code").size(),
        )
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    return _sa(state["assistance_cases"], plan_year)

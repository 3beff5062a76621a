"""Truth for the special-services line (SS)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import in_ytd, period_ends, truth_rows


def _ss(deaths: pd.DataFrame, plan_year: int) -> list[dict]:
    rows: list[dict] = []
    for month in period_ends(plan_year):
        ytd = deaths[in_ytd(deaths["registration_date"], plan_year, month)]
        via = ytd["via_96444"] == "是"
        rows += truth_rows(
            "SS03",
            month,
            ytd[via].groupby("registration_county_code").size(),
            ytd.groupby("registration_county_code").size(),
        )
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    return _ss(state["deaths"], plan_year)

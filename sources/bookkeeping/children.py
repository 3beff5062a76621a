"""Truth for the children line (CH)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import period_ends, truth_rows
from sources.common.regions import real_villages


def _ch(surveys: pd.DataFrame, plan_year: int) -> list[dict]:
    villages = real_villages()
    denominator = villages.groupby("county_code").size()
    real = surveys[surveys["village_code"].isin(set(villages["code"]))]
    rows: list[dict] = []
    for month in period_ends(plan_year):
        got = real.loc[
            real["survey_month"] == month.strftime("%Y-%m"), "village_code"
        ].drop_duplicates()
        rows += truth_rows("CH04", month, got.str[:6].value_counts(), denominator)
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    return _ch(state["child_survey_submissions"], plan_year)

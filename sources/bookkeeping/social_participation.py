"""Truth for the social-participation line (SP)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import period_ends, truth_rows
from sources.common.regions import CITY_CODE
from sources.social_org_registry.simulator import org_export


def _sp(orgs: pd.DataFrame, grades: pd.DataFrame, plan_year: int) -> list[dict]:
    rows: list[dict] = []
    for month in period_ends(plan_year):
        day = month.strftime("%Y-%m-%d")
        export = org_export(orgs, month.date())
        active = export[export["登记状态"] == "正常"]
        valid = grades[(grades["评定日期"] <= day) & (grades["有效期至"] >= day)]
        graded = active["统一社会信用代码"].isin(set(valid["统一社会信用代码"]))
        rows += truth_rows(
            "SP04",
            month,
            active[graded].groupby("登记管理机关代码").size(),
            active.groupby("登记管理机关代码").size(),
            extra=(CITY_CODE,),
        )
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    return _sp(state["organizations"], state["evaluation_grades"], plan_year)

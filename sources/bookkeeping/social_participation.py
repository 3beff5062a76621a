"""Truth for the social-participation line (SP), from the registry simulator's clean state."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sources.bookkeeping.common import period_ends, truth_rows
from sources.common.regions import CITY_CODE, load_divisions, real_villages
from sources.social_org_registry.simulator import org_export

REAL_TOWN_TYPES = ("街道", "镇", "乡")


def city_rows(kpi: str, month: pd.Timestamp, num: pd.Series) -> list[dict]:
    """Only the city row of a city-scope count KPI (every county-level code summed)."""
    rows = truth_rows(kpi, month, num, None, extra=(CITY_CODE,))
    return [row for row in rows if row["region_code"] == CITY_CODE]


def _day(values: pd.Series) -> pd.Series:
    """Hidden numpy dates as YYYY-MM-DD text ('' for none), comparable with period ends."""
    return pd.Series(
        np.where(pd.isna(values), "", pd.to_datetime(values).dt.strftime("%Y-%m-%d")),
        index=values.index,
    )


def _sp04(orgs: pd.DataFrame, grades: pd.DataFrame, month: pd.Timestamp) -> list[dict]:
    day = month.strftime("%Y-%m-%d")
    export = org_export(orgs, month.date())
    active = export[export["登记状态"] == "正常"]
    valid = grades[(grades["评定日期"] <= day) & (grades["有效期至"] >= day)]
    graded = active["统一社会信用代码"].isin(set(valid["统一社会信用代码"]))
    return truth_rows(
        "SP04",
        month,
        active[graded].groupby("登记管理机关代码").size(),
        active.groupby("登记管理机关代码").size(),
        extra=(CITY_CODE,),
    )


def _ytd(dates: pd.Series, plan_year: int, day: str) -> pd.Series:
    return (dates >= f"{plan_year}-01-01") & (dates <= day) & (dates != "")


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    orgs, grades = state["organizations"], state["evaluation_grades"]
    inspections = state["annual_inspections"]
    inspections = inspections[
        (inspections["年检年度"] == str(plan_year - 1)) & (inspections["是否应参检"] == "是")
    ].assign(submitted=lambda f: _day(f["_submitted"]))
    branches = state["charity_branches"].assign(
        established=lambda f: _day(f["_established"]), dissolved=lambda f: _day(f["_dissolved"])
    )
    divisions = load_divisions()
    real_towns = divisions[
        (divisions["level"] == "town") & divisions["unit_type"].isin(REAL_TOWN_TYPES)
    ]
    brands = state["community_service_brands"].assign(
        registered=lambda f: _day(f["_registered"]), revoked=lambda f: _day(f["_revoked"])
    )
    villages = real_villages()
    urban = villages[villages["unit_type"] == "居委会"]
    workers = state["social_worker_selections"].assign(selected=lambda f: _day(f["_selected"]))
    projects = state["flagship_projects"].assign(implemented=lambda f: _day(f["_implemented"]))

    rows: list[dict] = []
    for month in period_ends(plan_year):
        day = month.strftime("%Y-%m-%d")
        rows += _sp04(orgs, grades, month)
        # SP01 flagship projects implemented YTD, by county (city scope).
        done = projects[_ytd(projects["implemented"], plan_year, day)]
        rows += city_rows("SP01", month, done.groupby("县级区划代码").size())
        # SP02 / SP03 distinct people selected YTD per category, by county (city scope).
        chosen = workers[_ytd(workers["selected"], plan_year, day)]
        for kpi, category in (("SP02", "全科社工"), ("SP03", "金牌社工")):
            people = chosen[chosen["选拔类别"] == category].drop_duplicates("身份证号")
            rows += city_rows(kpi, month, people.groupby("县级区划代码").size())
        # SP05 required organizations that submitted last year's 年检 by period end.
        submitted = inspections[
            (inspections["submitted"] != "") & (inspections["submitted"] <= day)
        ]
        rows += truth_rows(
            "SP05",
            month,
            submitted.groupby("登记管理机关代码").size(),
            inspections.groupby("登记管理机关代码").size(),
            extra=(CITY_CODE,),
        )
        # SP06 real towns with a branch established by period end and not dissolved by then.
        open_branches = branches[
            (branches["established"] <= day)
            & ((branches["dissolved"] == "") | (branches["dissolved"] > day))
        ]
        covered = real_towns[real_towns["code"].isin(set(open_branches["所在镇街代码"]))]
        rows += truth_rows(
            "SP06",
            month,
            covered.groupby("county_code").size(),
            real_towns.groupby("county_code").size(),
        )
        # SP07 urban communities with a brand registered by period end and not revoked by then.
        valid = brands[
            (brands["registered"] <= day) & ((brands["revoked"] == "") | (brands["revoked"] > day))
        ]
        branded = urban[urban["code"].isin(set(valid["社区代码"]))]
        rows += truth_rows(
            "SP07",
            month,
            branded.groupby("county_code").size(),
            urban.groupby("county_code").size(),
        )
    return rows

"""KPI truth from the simulators' clean state, computed independently of the warehouse.

Follows docs/kpi_rules.md: per county-level region and month of the plan year; the city row sums
numerators and denominators of every county-level row (for SP04 including organizations the city
bureau registered itself).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.regions import CITY_CODE, COUNTIES, real_villages
from sources.social_org_registry.simulator import org_export

TRUTH_COLUMNS = [
    "kpi_code",
    "period_month",
    "region_code",
    "numerator",
    "denominator",
    "actual_value",
]


def _period_ends(plan_year: int) -> list[pd.Timestamp]:
    return list(pd.date_range(f"{plan_year}-01-31", f"{plan_year}-12-31", freq="ME"))


def _rows(
    kpi: str,
    month: pd.Timestamp,
    num: pd.Series,
    den: pd.Series | None,
    extra: tuple[str, ...] = (),
) -> list[dict]:
    """County rows plus the city row; ``extra`` are county-level codes only the city sums."""
    out = []
    codes = list(COUNTIES)
    for code in codes:
        n = int(num.get(code, 0))
        d = None if den is None else int(den.get(code, 0))
        out.append((code, n, d))
    city_num = int(sum(num.get(c, 0) for c in codes + list(extra)))
    city_den = None if den is None else int(sum(den.get(c, 0) for c in codes + list(extra)))
    out.append((CITY_CODE, city_num, city_den))
    period = month.strftime("%Y-%m-01")
    rows = []
    for code, n, d in out:
        if d is None:
            value: float | None = float(n)
        else:
            value = n / d if d else None
        rows.append(
            {
                "kpi_code": kpi,
                "period_month": period,
                "region_code": code,
                "numerator": n,
                "denominator": d,
                "actual_value": value,
            }
        )
    return rows


def _ytd(values: pd.Series, plan_year: int, period_end: pd.Timestamp) -> pd.Series:
    text = values.fillna("")
    return (text >= f"{plan_year}-01-01") & (text <= period_end.strftime("%Y-%m-%d"))


def _sa(cases: pd.DataFrame, plan_year: int) -> list[dict]:
    rows: list[dict] = []
    temp = cases[
        (cases["case_type"] == "临时救助")
        & (cases["case_status"] == "已批准")
        & cases["emergency_county_code"].isin(COUNTIES)
        & (cases["emergency_county_code"] != cases["registered_county_code"])
    ]
    assisted = cases[cases["case_type"].isin(["低保", "特困", "临时救助"])]
    for month in _period_ends(plan_year):
        sa01 = temp[_ytd(temp["approved_date"], plan_year, month)]
        direct = sa01["handling_county_code"] == sa01["emergency_county_code"]
        rows += _rows(
            "SA01",
            month,
            sa01[direct].groupby("emergency_county_code").size(),
            sa01.groupby("emergency_county_code").size(),
        )
        sa03 = assisted[_ytd(assisted["applied_date"], plan_year, month)]
        found = sa03["origin"] == "主动发现"
        rows += _rows(
            "SA03",
            month,
            sa03[found].groupby("handling_county_code").size(),
            sa03.groupby("handling_county_code").size(),
        )
    return rows


def _beds_at(institutions: pd.DataFrame, beds: pd.DataFrame, day: str) -> pd.DataFrame:
    """Each operating institution's capacity on ``day`` (latest change effective by then)."""
    operating = institutions[
        (institutions["opened_date"] <= day)
        & (institutions["closed_date"].isna() | (institutions["closed_date"].fillna("9999") > day))
    ]
    effective = beds[beds["effective_date"] <= day].sort_values(
        ["effective_date", "updated_at", "change_id"]
    )
    latest = effective.drop_duplicates("institution_id", keep="last")
    merged = operating[["institution_id", "county_code"]].merge(
        latest, on="institution_id", how="left"
    )
    merged[["total_beds", "nursing_beds"]] = (
        merged[["total_beds", "nursing_beds"]].fillna(0).astype(int)
    )
    return merged


def _ec(institutions: pd.DataFrame, beds: pd.DataFrame, plan_year: int) -> list[dict]:
    beds = beds.assign(
        total_beds=beds["total_beds"].astype(int),
        nursing_beds=beds["nursing_beds"].astype(int),
        change_id=beds["change_id"].astype(int),
    )
    base = (
        _beds_at(institutions, beds, f"{plan_year - 1}-12-31")
        .groupby("county_code")["nursing_beds"]
        .sum()
    )
    rows: list[dict] = []
    for month in _period_ends(plan_year):
        now = (
            _beds_at(institutions, beds, month.strftime("%Y-%m-%d"))
            .groupby("county_code")[["nursing_beds", "total_beds"]]
            .sum()
        )
        added = now["nursing_beds"].sub(base, fill_value=0)
        rows += _rows("EC10", month, added, None)
        rows += _rows("EC11", month, now["nursing_beds"], now["total_beds"])
    return rows


def _ch(surveys: pd.DataFrame, plan_year: int) -> list[dict]:
    villages = real_villages()
    denominator = villages.groupby("county_code").size()
    real = surveys[surveys["village_code"].isin(set(villages["code"]))]
    rows: list[dict] = []
    for month in _period_ends(plan_year):
        got = real.loc[
            real["survey_month"] == month.strftime("%Y-%m"), "village_code"
        ].drop_duplicates()
        rows += _rows("CH04", month, got.str[:6].value_counts(), denominator)
    return rows


def _sp(orgs: pd.DataFrame, grades: pd.DataFrame, plan_year: int) -> list[dict]:
    rows: list[dict] = []
    for month in _period_ends(plan_year):
        day = month.strftime("%Y-%m-%d")
        export = org_export(orgs, month.date())
        active = export[export["登记状态"] == "正常"]
        valid = grades[(grades["评定日期"] <= day) & (grades["有效期至"] >= day)]
        graded = active["统一社会信用代码"].isin(set(valid["统一社会信用代码"]))
        rows += _rows(
            "SP04",
            month,
            active[graded].groupby("登记管理机关代码").size(),
            active.groupby("登记管理机关代码").size(),
            extra=(CITY_CODE,),
        )
    return rows


def _ss(deaths: pd.DataFrame, plan_year: int) -> list[dict]:
    rows: list[dict] = []
    for month in _period_ends(plan_year):
        ytd = deaths[_ytd(deaths["registration_date"], plan_year, month)]
        via = ytd["via_96444"] == "是"
        rows += _rows(
            "SS03",
            month,
            ytd[via].groupby("registration_county_code").size(),
            ytd.groupby("registration_county_code").size(),
        )
    return rows


def kpi_truth(state: dict[str, pd.DataFrame], plan_year: int) -> pd.DataFrame:
    """Truth rows for SA01 SA03 EC10 EC11 CH04 SP04 SS03, every month of the plan year."""
    rows = (
        _sa(state["assistance_cases"], plan_year)
        + _ec(state["institutions"], state["bed_capacity_changes"], plan_year)
        + _ch(state["child_survey_submissions"], plan_year)
        + _sp(state["organizations"], state["evaluation_grades"], plan_year)
        + _ss(state["deaths"], plan_year)
    )
    frame = pd.DataFrame(rows, columns=TRUTH_COLUMNS)
    frame["denominator"] = frame["denominator"].astype("Int64")
    frame["actual_value"] = frame["actual_value"].astype(float)
    return frame


def plan_year_of(end: date) -> int:
    return end.year


__all__ = ["TRUTH_COLUMNS", "kpi_truth", "np"]

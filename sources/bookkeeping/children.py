"""Truth for the children line (CH)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import in_ytd, period_ends, truth_rows
from sources.common.regions import real_villages
from sources.smart_assistance.params import CH_PROJECTS

CHILD_ALLOWANCE = "孤儿/事实无人抚养儿童基本生活费"


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


def child_months(children: pd.DataFrame, payments: pd.DataFrame, plan_year: int) -> pd.DataFrame:
    """Every eligible child-month of the plan year with ``is_paid_in_full`` per CH03."""
    months = pd.period_range(f"{plan_year}-01", f"{plan_year}-12", freq="M")
    grid = children.merge(pd.DataFrame({"period": months}), how="cross")
    month_first = grid["period"].dt.start_time.dt.strftime("%Y-%m-%d")
    month_last = grid["period"].dt.end_time.dt.strftime("%Y-%m-%d")
    eligible = (grid["eligible_from"] <= month_last) & (
        grid["eligible_to"].isna() | (grid["eligible_to"].fillna("") >= month_first)
    )
    grid = grid[eligible].copy()
    grid["key"] = grid["id_number"].str.strip().str.upper()
    grid["payment_month"] = grid["period"].dt.strftime("%Y-%m")
    paid = payments[payments["subsidy_type"] == CHILD_ALLOWANCE].assign(
        key=lambda f: f["recipient_id_number"].str.strip().str.upper(),
        amount=lambda f: f["amount"].astype(float),
    )
    total = paid.groupby(["key", "payment_month"])["amount"].sum().rename("paid_amount")
    grid = grid.join(total, on=["key", "payment_month"])
    grid["is_paid_in_full"] = grid["paid_amount"].fillna(0) >= grid["monthly_standard"].astype(
        float
    )
    return grid


def _ch_new(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    stations = state["protection_stations"]
    workers = state["child_workers"]
    trainings = state["worker_trainings"]
    grid = child_months(state["children_in_difficulty"], state["subsidy_payments"], plan_year)
    services = state["project_services"]
    served = services[
        services["project_name"].isin(CH_PROJECTS) & (services["service_status"] == "已完成")
    ]
    rows: list[dict] = []
    for month in period_ends(plan_year):
        day = month.strftime("%Y-%m-%d")
        upgraded = stations[in_ytd(stations["provincial_demo_date"], plan_year, month)]
        rows += truth_rows("CH01", month, upgraded.groupby("county_code").size(), None)
        in_post = workers[
            (workers["appointed_date"] <= day)
            & (workers["left_date"].isna() | (workers["left_date"].fillna("") > day))
        ]
        trained_ids = set(
            trainings.loc[in_ytd(trainings["training_date"], plan_year, month), "worker_id"]
        )
        trained = in_post["worker_id"].isin(trained_ids)
        rows += truth_rows(
            "CH02",
            month,
            in_post[trained].groupby("county_code").size(),
            in_post.groupby("county_code").size(),
        )
        ytd = grid[grid["payment_month"] <= month.strftime("%Y-%m")]
        rows += truth_rows(
            "CH03",
            month,
            ytd[ytd["is_paid_in_full"]].groupby("county_code").size(),
            ytd.groupby("county_code").size(),
        )
        ch05 = served[in_ytd(served["service_date"], plan_year, month)]
        rows += truth_rows("CH05", month, ch05.groupby("county_code").size(), None)
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    rows = _ch(state["child_survey_submissions"], plan_year)
    if "children_in_difficulty" in state:
        rows += _ch_new(state, plan_year)
    return rows

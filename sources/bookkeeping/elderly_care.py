"""Truth for the elderly-care line (EC)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import period_ends, truth_rows


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
    for month in period_ends(plan_year):
        now = (
            _beds_at(institutions, beds, month.strftime("%Y-%m-%d"))
            .groupby("county_code")[["nursing_beds", "total_beds"]]
            .sum()
        )
        added = now["nursing_beds"].sub(base, fill_value=0)
        rows += truth_rows("EC10", month, added, None)
        rows += truth_rows("EC11", month, now["nursing_beds"], now["total_beds"])
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    return _ec(state["institutions"], state["bed_capacity_changes"], plan_year)

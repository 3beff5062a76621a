"""Truth for the special-services line (SS), from the civil-registry simulator's clean state."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import in_ytd, period_ends, truth_rows
from sources.bookkeeping.social_participation import city_rows
from sources.common.regions import CITY_CODE

STRANDED_AFTER_DAYS = 10


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    deaths = state["deaths"]
    marriages = state["marriages"]
    cross = marriages[marriages["is_cross_province"] == "是"]
    ashes = state["ashes_facility_projects"]
    ashes = ashes[ashes["construction_type"].isin(["新建", "扩建"])]
    milestones = state["funeral_home_renovation"]
    final = milestones.assign(seq=milestones["milestone_seq"].astype(int)).sort_values("seq")
    final = final.drop_duplicates("project_id", keep="last")
    stays = state["rescue_station_stays"]

    rows: list[dict] = []
    for month in period_ends(plan_year):
        day = month.strftime("%Y-%m-%d")
        ytd = deaths[in_ytd(deaths["registration_date"], plan_year, month)]
        via = ytd["via_96444"] == "是"
        rows += truth_rows(
            "SS03",
            month,
            ytd[via].groupby("registration_county_code").size(),
            ytd.groupby("registration_county_code").size(),
        )
        done = ashes[in_ytd(ashes["completed_date"], plan_year, month)]
        rows += city_rows("SS01", month, done.groupby("county_code").size())
        finished = final[final["completed_date"].fillna("9999") <= day]
        rows += city_rows("SS02", month, finished.groupby("county_code").size())
        handled = cross[in_ytd(cross["registration_date"], plan_year, month)]
        rows += truth_rows("SS04", month, handled.groupby("registration_county_code").size(), None)
        admitted = pd.to_datetime(stays["admitted_date"])
        staying = stays[
            (stays["admitted_date"] <= day)
            & (stays["left_date"].isna() | (stays["left_date"].fillna("9999") > day))
            & ((month - admitted).dt.days > STRANDED_AFTER_DAYS)
        ]
        known = staying["identity_established_date"].fillna("9999") <= day
        num = staying[known].groupby("station_county_code").size()
        den = staying.groupby("station_county_code").size()
        rows += [
            row for row in truth_rows("SS05", month, num, den) if row["region_code"] == CITY_CODE
        ]
    return rows

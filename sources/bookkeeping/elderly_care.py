"""Truth for the elderly-care line (EC), from the simulator's clean state (docs/kpi_rules.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sources.bookkeeping.common import period_ends, truth_rows
from sources.common.regions import real_villages

GRADE_2_UP = {"二级", "三级", "四级", "五级"}


def _beds_at(institutions: pd.DataFrame, beds: pd.DataFrame, day: str) -> pd.DataFrame:
    """Each operating institution's capacity on ``day`` (latest change effective by then)."""
    operating = institutions[_operating(institutions, day)]
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


def _operating(institutions: pd.DataFrame, day: str) -> pd.Series:
    return (institutions["opened_date"] <= day) & (
        institutions["closed_date"].isna() | (institutions["closed_date"].fillna("9999") > day)
    )


def _beds(institutions: pd.DataFrame, beds: pd.DataFrame, plan_year: int) -> list[dict]:
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


def _d(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy("datetime64[D]")


def _institution_kpis(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    inst = state["institutions"]
    ratings = state["institution_ratings"].sort_values(["rated_date", "rating_id"])
    rows: list[dict] = []
    for month in period_ends(plan_year):
        day = month.strftime("%Y-%m-%d")
        d = np.datetime64(day, "D")
        op = inst[_operating(inst, day)]
        kind = op["institution_type"]
        rows += truth_rows(
            "EC03", month, op[kind == "失能特困供养机构"].groupby("county_code").size(), None
        )
        std = op[(kind == "区域性养老服务中心") & (op["standardized_date"].fillna("9999") <= day)]
        rows += truth_rows("EC04", month, std.groupby("county_code").size(), None)
        valid = ratings[(ratings["rated_date"] <= d) & (ratings["valid_until"] >= d)]
        latest = valid.drop_duplicates("institution_id", keep="last").set_index("institution_id")
        graded = op["institution_id"].isin(latest.index)
        rows += truth_rows(
            "EC08",
            month,
            op[graded].groupby("county_code").size(),
            op.groupby("county_code").size(),
        )
        rural = op[kind == "农村敬老院"]
        grade = rural["institution_id"].map(latest["grade"])
        rows += truth_rows(
            "EC09",
            month,
            rural[grade.isin(GRADE_2_UP)].groupby("county_code").size(),
            rural.groupby("county_code").size(),
        )
    return rows


def _facility_kpis(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    fac = state["community_facilities"]
    events = state["facility_events"]
    y0 = np.datetime64(f"{plan_year}-01-01", "D")
    status = events[events["event_type"].isin(["开业", "停业", "恢复运营"])].sort_values(
        ["event_date", "event_id"]
    )
    upgrades = events[events["event_type"] == "升级改造"].merge(
        fac[["facility_id", "facility_type", "county_code"]], on="facility_id"
    )
    villages = real_villages()
    urban = villages[villages["code"].str[9:12].between("001", "199")]
    urban_by_county = urban.groupby("county_code").size()
    stations = fac[fac["facility_type"] == "社区养老服务站"].set_index("facility_id")
    rows: list[dict] = []
    for month in period_ends(plan_year):
        d = np.datetime64(month.strftime("%Y-%m-%d"), "D")
        centres = fac[
            (fac["facility_type"] == "街道综合养老服务中心")
            & (fac["opened_date"] >= y0)
            & (fac["opened_date"] <= d)
        ]
        rows += truth_rows("EC01", month, centres.groupby("county_code").size(), None)
        latest = status[status["event_date"] <= d].drop_duplicates("facility_id", keep="last")
        operating = set(latest.loc[latest["event_type"] != "停业", "facility_id"])
        ok = stations[stations.index.isin(operating)]
        covered = urban[urban["code"].isin(set(ok["village_code"]))]
        rows += truth_rows("EC02", month, covered.groupby("county_code").size(), urban_by_county)
        ytd = upgrades[(upgrades["event_date"] >= y0) & (upgrades["event_date"] <= d)]
        for kpi, kind, level in (
            ("EC05", "互助养老睦邻点", "示范性"),
            ("EC07", "社区助餐点", "标准化"),
        ):
            hit = ytd[(ytd["facility_type"] == kind) & (ytd["upgrade_level"] == level)]
            rows += truth_rows(
                kpi, month, hit.drop_duplicates("facility_id").groupby("county_code").size(), None
            )
    return rows


def _resident_kpis(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    res = state["older_residents"]
    county = res["village_code"].str[:6].to_numpy(str)
    birth = res["birth_date"].to_numpy(str)
    ids = res["resident_id"].to_numpy(object)
    yes = {
        name: (res[name] == "是").to_numpy()
        for name in ("living_alone", "left_behind", "disabled", "low_income")
    }
    orders = state["home_service_orders"]
    gov = orders[orders["is_government_purchased"] & (orders["order_status"] == "已完成")]
    gov = gov[gov["service_date"] >= np.datetime64(f"{plan_year}-01-01", "D")]
    first = gov.groupby("resident_id")["service_date"].min()
    first_served = pd.Series(ids).map(first).to_numpy("datetime64[D]")
    visits = state["care_visits"]
    visit_month = visits["visit_date"].to_numpy("datetime64[M]")
    smart = state["smart_tech_trainings"]
    smart_county = smart["resident_id"].map(pd.Series(county, index=ids))
    months = period_ends(plan_year)
    visited_sum = pd.Series(0, dtype=int)
    flagged_sum = pd.Series(0, dtype=int)
    rows: list[dict] = []
    for month in months:
        d = np.datetime64(month.strftime("%Y-%m-%d"), "D")
        mmdd = month.strftime("-%m-%d")
        aged60 = birth <= f"{month.year - 60}{mmdd}"
        aged80 = birth <= f"{month.year - 80}{mmdd}"
        served = aged60 & (first_served <= d)
        rows += truth_rows(
            "EC06",
            month,
            pd.Series(county[served]).value_counts(),
            pd.Series(county[aged60]).value_counts(),
        )
        special = aged60 & (
            yes["living_alone"]
            | yes["left_behind"]
            | yes["disabled"]
            | (yes["low_income"] & aged80)
        )
        seen = set(
            visits.loc[visit_month == np.datetime64(month.strftime("%Y-%m"), "M"), "resident_id"]
        )
        hit = special & pd.Series(ids).isin(seen).to_numpy()
        visited_sum = visited_sum.add(pd.Series(county[hit]).value_counts(), fill_value=0)
        flagged_sum = flagged_sum.add(pd.Series(county[special]).value_counts(), fill_value=0)
        rows += truth_rows("EC15", month, visited_sum, flagged_sum)
        in_ytd = (smart["training_date"] >= np.datetime64(f"{plan_year}-01-01", "D")) & (
            smart["training_date"] <= d
        )
        rows += truth_rows("EC14", month, smart_county[in_ytd].value_counts(), None)
    return rows


def _staff_kpis(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    staff = state["care_staff"].merge(
        state["institutions"][["institution_id", "county_code"]], on="institution_id"
    )
    train = state["rotation_trainings"]
    orgs = state["service_organizations"]
    y0 = np.datetime64(f"{plan_year}-01-01", "D")
    rows: list[dict] = []
    for month in period_ends(plan_year):
        d = np.datetime64(month.strftime("%Y-%m-%d"), "D")
        in_post = staff[
            (staff["hired_date"] <= d) & (staff["left_date"].isna() | (staff["left_date"] > d))
        ]
        carers = in_post[in_post["role"] == "养老护理员"]
        certified = carers[
            (carers["certified_date"] <= d) & (carers["certificate_valid_until"] >= d)
        ]
        rows += truth_rows(
            "EC12",
            month,
            certified.groupby("county_code").size(),
            carers.groupby("county_code").size(),
        )
        trained_ids = set(
            train.loc[(train["training_date"] >= y0) & (train["training_date"] <= d), "staff_id"]
        )
        trained = in_post[in_post["staff_id"].isin(trained_ids)]
        rows += truth_rows(
            "EC16",
            month,
            trained.groupby("county_code").size(),
            in_post.groupby("county_code").size(),
        )
        brand = orgs[
            orgs["recognition_type"].notna()
            & (orgs["recognized_date"] >= y0)
            & (orgs["recognized_date"] <= d)
        ]
        rows += truth_rows("EC13", month, brand.groupby("county_code").size(), None)
    return rows


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    return (
        _beds(state["institutions"], state["bed_capacity_changes"], plan_year)
        + _institution_kpis(state, plan_year)
        + _facility_kpis(state, plan_year)
        + _resident_kpis(state, plan_year)
        + _staff_kpis(state, plan_year)
    )

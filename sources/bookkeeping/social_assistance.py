"""Truth for the social-assistance line (SA)."""

from __future__ import annotations

import pandas as pd

from sources.bookkeeping.common import in_ytd, period_ends, truth_rows
from sources.common.regions import CITY_CODE, COUNTIES
from sources.smart_assistance.params import SA_PROJECTS

LIVING = "困难残疾人生活补贴"
CARE = "重度残疾人护理补贴"
ASSISTED_HOUSEHOLDS = ("低保", "特困", "低收入")


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


def _normalised(ids: pd.Series) -> pd.Series:
    return ids.fillna("").str.strip().str.upper()


def _death_dates(deaths: pd.DataFrame) -> pd.Series:
    """Earliest death date per normalised ID among death records that keep the row contract."""
    valid = deaths[
        deaths["registration_county_code"].isin((*COUNTIES, CITY_CODE))
        & pd.to_datetime(deaths["death_date"], errors="coerce", format="%Y-%m-%d").notna()
        & pd.to_datetime(deaths["registration_date"], errors="coerce", format="%Y-%m-%d").notna()
    ]
    keyed = valid.assign(key=_normalised(valid["deceased_id_number"]))
    keyed = keyed[keyed["key"] != ""]
    return keyed.groupby("key")["death_date"].min()


def two_subsidy_precision(
    payments: pd.DataFrame, persons: pd.DataFrame, deaths: pd.DataFrame
) -> pd.DataFrame:
    """Two-subsidy payments with ``is_precise`` per SA02 (docs/kpi_rules.md)."""
    two = payments[payments["subsidy_type"].isin([LIVING, CARE])].copy()
    two["key"] = _normalised(two["recipient_id_number"])
    people = persons.assign(key=_normalised(persons["id_number"]))
    people = people.drop_duplicates("key")[["key", "household_category", "disability_grade"]]
    two = two.merge(people, on="key", how="left")
    died = two["key"].map(_death_dates(deaths))
    after_death = died.notna() & ((two["payment_month"] + "-01") > died.fillna("9999"))
    care_bad = (two["subsidy_type"] == CARE) & ~two["disability_grade"].isin(["一级", "二级"])
    living_bad = (two["subsidy_type"] == LIVING) & ~two["household_category"].isin(
        ASSISTED_HOUSEHOLDS
    )
    two = two.sort_values(["paid_date", "payment_id"])
    second = two.duplicated(["key", "payment_month", "subsidy_type"], keep="first")
    two["is_precise"] = ~(after_death | care_bad | living_bad | second)
    return two


def _sa_new(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    payments = state["subsidy_payments"]
    two = two_subsidy_precision(
        payments, state["persons"], state.get("deaths", pd.DataFrame(columns=_DEATH_COLUMNS))
    )
    temp = payments[
        (payments["subsidy_type"] == "临时救助金") & (payments["temp_assistance_kind"] == "支出型")
    ]
    alerts = state["monitoring_alerts"].copy()
    alerts["raised_date"] = alerts["raised_at"].str[:10]
    alerts["closed_date"] = alerts["closed_at"].str[:10]
    handled_in_30 = (
        (alerts["alert_status"] == "已办结")
        & alerts["decision"].notna()
        & alerts["closed_date"].notna()
        & (
            pd.to_datetime(alerts["closed_date"]) - pd.to_datetime(alerts["raised_date"])
            <= pd.Timedelta(days=30)
        )
    )
    services = state["project_services"]
    served = services[
        services["project_name"].isin(SA_PROJECTS) & (services["service_status"] == "已完成")
    ]
    rows: list[dict] = []
    for month in period_ends(plan_year):
        first, last = f"{plan_year}-01", month.strftime("%Y-%m")
        ytd = two[(two["payment_month"] >= first) & (two["payment_month"] <= last)]
        rows += truth_rows(
            "SA02",
            month,
            ytd[ytd["is_precise"]].groupby("paying_county_code").size(),
            ytd.groupby("paying_county_code").size(),
        )
        raised = alerts[in_ytd(alerts["raised_date"], plan_year, month)]
        timely = handled_in_30[raised.index] & (
            raised["closed_date"].fillna("9999") <= month.strftime("%Y-%m-%d")
        )
        rows += truth_rows(
            "SA04",
            month,
            raised[timely].groupby("county_code").size(),
            raised.groupby("county_code").size(),
        )
        sa05 = temp[(temp["payment_month"] >= first) & (temp["payment_month"] <= last)]
        rows += truth_rows("SA05", month, sa05.groupby("paying_county_code").size(), None)
        sa06 = served[in_ytd(served["service_date"], plan_year, month)]
        rows += truth_rows("SA06", month, sa06.groupby("county_code").size(), None)
    return rows


_DEATH_COLUMNS = [
    "deceased_id_number",
    "death_date",
    "registration_date",
    "registration_county_code",
]


def truth(state: dict[str, pd.DataFrame], plan_year: int) -> list[dict]:
    rows = _sa(state["assistance_cases"], plan_year)
    if "subsidy_payments" in state:
        rows += _sa_new(state, plan_year)
    return rows

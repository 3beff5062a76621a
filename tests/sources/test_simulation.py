from __future__ import annotations

import functools
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sources.civil_registry.client import list_inbox_files, read_daily_file
from sources.common.identity import is_valid_credit_code, is_valid_id_number
from sources.common.regions import COUNTIES, real_villages
from sources.elderly_care.client import ElderlyCareClient, sqlite_url
from sources.simulate import simulate
from sources.smart_assistance.client import SmartAssistanceClient
from sources.smart_assistance.server import serve_store
from sources.social_org_registry.client import list_exports, read_export

from .conftest import SCALE

KPIS = ["SA01", "SA03", "EC10", "EC11", "CH04", "SP04", "SS03"]


def _table(store: Path, table: str) -> pd.DataFrame:
    with sqlite3.connect(store) as conn:
        return pd.read_sql_query(f"SELECT * FROM {table}", conn)


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".csv", ".json"} and p.name != "summary.json"
    }


def _sqlite_rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    c = tmp_path / "c"
    for out, seed in ((a, 11), (b, 11), (c, 12)):
        simulate(out, scale=0.005, seed=seed, progress=False)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
    for system, db, table in (
        ("smart_assistance", "store.sqlite", "assistance_cases"),
        ("elderly_care", "elderly_care.sqlite", "bed_capacity_changes"),
    ):
        assert _sqlite_rows(a / system / db, table) == _sqlite_rows(b / system / db, table)
    xlsx = sorted((a / "social_org_registry" / "drop").glob("社会组织名录_*.xlsx"))[-1]
    assert read_export(xlsx, "organizations").equals(
        read_export(b / "social_org_registry" / "drop" / xlsx.name, "organizations")
    )


def test_a_simulation_runs_across_the_year_boundary(tmp_path: Path) -> None:
    """`simulate --end 2025-12-31`: three years of records, every day of 2025 delivered, and the
    bookkeeping's figures are the last year's (2025), not empty ones."""
    from datetime import date

    out = tmp_path / "sources"
    summary = simulate(out, scale=0.003, seed=5, end=date(2025, 12, 31), progress=False)
    assert summary["end"] == "2025-12-31"
    deaths = list_inbox_files(out / "civil_registry" / "inbox", "deaths")
    by_year = pd.Series([p.name.split("_")[1][:4] for p in deaths]).value_counts().to_dict()
    assert by_year == {"2023": 365, "2024": 366, "2025": 365}
    cases = _table(out / "smart_assistance" / "store.sqlite", "assistance_cases")
    opened = pd.to_datetime(cases["applied_date"]).dt.year.value_counts()
    # The third year is as busy as the others (cases opened before 2023 are in the store too).
    assert opened.get(2025, 0) > 0.5 * opened[2024], opened.to_dict()
    truth = pd.read_csv(out / "_bookkeeping" / "kpi_truth.csv", dtype={"region_code": str})
    assert set(truth["period_month"].str[:4]) == {"2025"}
    assert truth.groupby("kpi_code")["numerator"].sum().gt(0).mean() > 0.8


def test_magnitudes_follow_the_domain(simulated: dict[str, Any], store_path: Path) -> None:
    cases = _table(store_path, "assistance_cases")
    active = cases[cases["case_status"] == "已批准"].groupby("case_type").size()
    assert active["低保"] == pytest.approx(35_000 * SCALE, rel=0.15)
    assert active["特困"] == pytest.approx(15_000 * SCALE, rel=0.2)
    temp_2024 = cases[
        (cases["case_type"] == "临时救助") & cases["applied_date"].str.startswith("2024")
    ]
    assert len(temp_2024) == pytest.approx(15_000 * SCALE, rel=0.15)

    deaths_2024 = _latest_deaths(simulated["dir"])
    deaths_2024 = deaths_2024[deaths_2024["registration_date"].str.startswith("2024")]
    assert len(deaths_2024) == pytest.approx(46_000 * SCALE, rel=0.1)

    drop = simulated["dir"] / "social_org_registry" / "drop"
    orgs = read_export(list_exports(drop, "organizations")[-1], "organizations")
    live = orgs[orgs["登记状态"] == "正常"]
    assert len(live) == pytest.approx(4_500 * SCALE, rel=0.2)
    shares = live["社会组织类型"].value_counts(normalize=True)
    assert shares["民办非企业单位"] == pytest.approx(0.59, abs=0.1)
    assert shares["社会团体"] == pytest.approx(0.40, abs=0.1)
    assert (orgs["登记管理机关代码"] == "321200").mean() == pytest.approx(0.15, abs=0.07)

    surveys = _table(store_path, "child_survey_submissions")
    assert surveys["village_code"].nunique() == len(real_villages()) == 1721

    # A city-year is about ten million source rows (design.md); the default range is two years.
    rows = sum(sum(entities.values()) for entities in simulated["summary"]["counts"].values())
    assert rows / 2 == pytest.approx(10_000_000 * SCALE, rel=0.15)


@functools.cache
def _read_latest_deaths(out: Path) -> pd.DataFrame:
    files = list_inbox_files(out / "civil_registry" / "inbox", "deaths")
    deaths = pd.concat([read_daily_file(p, "deaths") for p in files], ignore_index=True)
    deaths = deaths.sort_values(["death_record_id", "record_version"])
    return deaths.drop_duplicates("death_record_id", keep="last")


def _latest_deaths(out: Path) -> pd.DataFrame:
    return _read_latest_deaths(out).copy()


def test_identifiers_valid_except_injected(simulated: dict[str, Any], store_path: Path) -> None:
    injected = simulated["injected"]
    cases = _table(store_path, "assistance_cases")
    bad_cases = set(cases.loc[~cases["applicant_id_number"].map(is_valid_id_number), "case_id"])
    assert bad_cases == set(
        injected["smart_assistance"]["bad_id_check_digit"]["assistance_cases"]["keys"]
    )
    assert bad_cases
    deaths = _latest_deaths(simulated["dir"])
    bad_deaths = set(
        deaths.loc[~deaths["deceased_id_number"].map(is_valid_id_number), "death_record_id"]
    )
    assert bad_deaths == set(injected["civil_registry"]["bad_id_check_digit"]["deaths"]["keys"])

    drop = simulated["dir"] / "social_org_registry" / "drop"
    orgs = read_export(list_exports(drop, "organizations")[-1], "organizations")
    assert orgs["统一社会信用代码"].map(is_valid_credit_code).all()
    assert orgs["统一社会信用代码"].is_unique
    kinds = {"社会团体": "1", "民办非企业单位": "2", "基金会": "3"}
    assert (orgs["统一社会信用代码"].str[1] == orgs["社会组织类型"].map(kinds)).all()
    db = simulated["dir"] / "elderly_care" / "elderly_care.sqlite"
    assert _table(db, "institutions")["credit_code"].map(is_valid_credit_code).all()


def test_reconciliation_clients_fetch_what_was_served(
    simulated: dict[str, Any], store_path: Path
) -> None:
    counts = simulated["counts"]
    with (
        serve_store(store_path, "t") as url,
        SmartAssistanceClient(url, "t", page_size=5000) as client,
    ):
        for entity in ("assistance_cases", "child_survey_submissions"):
            got = sum(
                len(p) for p in client.fetch_window(entity, None, "2030-01-01T00:00:00+08:00")
            )
            assert got == counts["smart_assistance"][entity]
    ec = ElderlyCareClient(sqlite_url(simulated["dir"] / "elderly_care" / "elderly_care.sqlite"))
    for table in ec.tables():
        got = sum(len(c) for c in ec.read_window(table, None, "2030-01-01 00:00:00"))
        assert got == counts["elderly_care"][table]
    ec.close()
    drop = simulated["dir"] / "social_org_registry" / "drop"
    for entity in ("organizations", "evaluation_grades"):
        got = sum(len(read_export(p, entity)) for p in list_exports(drop, entity))
        assert got == counts["social_org_registry"][entity]
    inbox = simulated["dir"] / "civil_registry" / "inbox"
    got = sum(len(read_daily_file(p, "deaths")) for p in list_inbox_files(inbox, "deaths"))
    assert got == counts["civil_registry"]["deaths"]


def test_kpi_truth_shape_and_district_spread(simulated: dict[str, Any]) -> None:
    truth = pd.read_csv(simulated["truth"], dtype={"region_code": str})
    assert list(truth.columns) == [
        "kpi_code",
        "period_month",
        "region_code",
        "numerator",
        "denominator",
        "actual_value",
    ]
    assert set(KPIS) <= set(truth["kpi_code"].unique())
    assert sorted(truth["region_code"].unique()) == sorted([*COUNTIES, "321200"])
    assert sorted(truth["period_month"].unique()) == [f"2024-{m:02d}-01" for m in range(1, 13)]
    # Every KPI has 12 months of the city and six counties; a city-scope KPI may give the city only.
    assert set(truth.groupby("kpi_code").size()) <= {12, 12 * 7}
    december = truth[truth["period_month"] == "2024-12-01"].set_index(["kpi_code", "region_code"])
    for kpi in ("SA01", "SA03", "EC11", "CH04", "SP04", "SS03"):
        county_values = december.loc[kpi].loc[list(COUNTIES), "actual_value"]
        assert county_values.nunique() > 1, kpi
    assert (december.loc["SA01"].loc[list(COUNTIES), "actual_value"] == 1.0).any()
    assert (december.loc["SA01"].loc[list(COUNTIES), "actual_value"] < 1.0).any()
    ch04 = truth[(truth["kpi_code"] == "CH04") & truth["region_code"].isin(COUNTIES)]
    assert (ch04.groupby("region_code")["actual_value"].min() == 1.0).any()
    assert (ch04["actual_value"] < 1.0).any()
    sp04 = december.loc["SP04"]["actual_value"]
    assert (sp04 >= 0.48).any() and (sp04 < 0.48).any()


def test_city_rows_sum_the_counties(simulated: dict[str, Any]) -> None:
    truth = pd.read_csv(simulated["truth"], dtype={"region_code": str})
    for (kpi, _month), group in truth.groupby(["kpi_code", "period_month"]):
        city = group[group["region_code"] == "321200"].iloc[0]
        counties = group[group["region_code"] != "321200"]
        if counties.empty:  # a city-scope KPI kept at the city only
            continue
        if kpi in ("SP04", "SP05"):  # the city also registers organizations itself
            assert city["numerator"] >= counties["numerator"].sum()
            continue
        assert city["numerator"] == counties["numerator"].sum()
        if not pd.isna(city["denominator"]):  # a count KPI has no denominator
            assert city["denominator"] == counties["denominator"].sum()
            assert city["actual_value"] == pytest.approx(
                city["numerator"] / city["denominator"], abs=1e-6
            )


def test_kpi_truth_matches_an_independent_recount(
    simulated: dict[str, Any], store_path: Path
) -> None:
    """SS03 and CH04 recounted from what the clients read, not from the simulator's state."""
    truth: Any = pd.read_csv(simulated["truth"], dtype={"region_code": str}).set_index(
        ["kpi_code", "period_month", "region_code"]
    )
    deaths = _latest_deaths(simulated["dir"])
    june = deaths[
        (deaths["registration_date"] >= "2024-01-01")
        & (deaths["registration_date"] <= "2024-06-30")
    ]
    for county, group in june.groupby("registration_county_code"):
        row = truth.loc[("SS03", "2024-06-01", str(county))]
        assert row["denominator"] == len(group)
        assert row["numerator"] == (group["via_96444"] == "是").sum()
    surveys = _table(store_path, "child_survey_submissions")
    march = surveys[surveys["survey_month"] == "2024-03"]
    for county, villages in real_villages().groupby("county_code"):
        row = truth.loc[("CH04", "2024-03-01", str(county))]
        assert row["denominator"] == len(villages)
        assert row["numerator"] == march["village_code"].isin(set(villages["code"])).sum()

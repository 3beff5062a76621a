"""A second city adopts the product by data alone: a city profile with another code prefix and
another number of districts (tests/fixtures/city_profiles/suqian: 宿迁市's codes and five
districts, made-up towns, villages and calibration) goes through simulate, run, the quarterly
report and Superset's dashboards, with roles per district, and no code change.

Its plan has moved on to 2025 (the fixture plan of seeds/kpi_targets.csv): EC11's target rises
from 0.80 to 0.85, SS05 is dropped, SP03 is added (its measure exists; 2024 had no target for it,
so 2024 shows it as a baseline), and SA07 is added with no measure model (reported, no figures).
The sources are simulated across the year boundary to 30 June 2025, the figures as of that day.

The whole chain runs as the bureau would run it, with MINZHENG_CITY_PROFILE naming the profile's
folder (a copy here, so that the test also proves that nothing writes into a profile).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openpyxl import load_workbook

from tests.conftest import minzheng, pipeline_env
from tests.superset.conftest import ADMIN, SupersetServer, distinct_values, running_superset

PROFILE = Path(__file__).resolve().parents[1] / "fixtures" / "city_profiles" / "suqian"
PASSWORD = "second-city-test-password"
DATA_AS_OF = "2025-06-30"


def _regions(profile: Path) -> tuple[tuple[str, str, str], dict[str, str]]:
    """(city code, city name, bureau) and district code -> name, from the profile's seed."""
    with (profile / "seeds" / "ref_counties.csv").open(encoding="utf-8") as seed:
        rows = list(csv.DictReader(seed))
    city = next(row for row in rows if row["region_level"] == "city")
    districts = {
        row["region_code"]: row["region_name"] for row in rows if row["region_level"] == "county"
    }
    return (city["region_code"], city["region_name"], city["bureau_name"]), districts


CITY, DISTRICTS = _regions(PROFILE)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def second_city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The second city's data folder after `minzheng simulate` and `minzheng run`."""
    base = tmp_path_factory.mktemp("second_city")
    profile = base / "profile"
    shutil.copytree(PROFILE, profile)
    before = _digests(profile)
    data = base / "data"
    env = {
        **pipeline_env(data),
        "MINZHENG_CITY_PROFILE": str(profile),
        "MINZHENG_DATA_AS_OF": DATA_AS_OF,
    }
    simulated = minzheng(
        env, "simulate", "--scale", "0.01", "--end", DATA_AS_OF, "--reset", "--no-progress"
    )
    assert simulated.returncode == 0, simulated.stdout[-3000:] + simulated.stderr[-3000:]
    ran = minzheng(env, "run")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    return {"data": data, "profile": profile, "before": before, "run": ran.stdout}


@pytest.fixture(scope="module")
def second_superset(
    second_city: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SupersetServer]:
    serving = second_city["data"] / "serving" / "minzheng.duckdb"
    with running_superset(tmp_path_factory.mktemp("second_superset"), serving) as server:
        yield server


def _served(second_city: dict[str, Any], sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of a query on the second city's serving file."""
    serving = second_city["data"] / "serving" / "minzheng.duckdb"
    with duckdb.connect(str(serving), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def test_the_second_city_runs_from_its_profile_alone(second_city: dict[str, Any]) -> None:
    assert "succeeded" in second_city["run"]
    assert "every batch reconciles" in second_city["run"]
    assert f"city profile: {second_city['profile']}" in second_city["run"]
    # Nothing writes into the profile (dbt writes each seed's SQL at the seed's path).
    assert _digests(second_city["profile"]) == second_city["before"]
    regions = _served(
        second_city,
        "select region_code, region_name, region_level, bureau_name from conformed.dim_region"
        " where region_level in ('city', 'county') order by region_code",
    )
    assert regions == [
        (CITY[0], CITY[1], "city", CITY[2]),
        *[(code, name, "county", f"{name}民政局") for code, name in sorted(DISTRICTS.items())],
    ]
    assert len(DISTRICTS) == 5 and not CITY[0].startswith("3212")
    figures = _served(second_city, "select distinct region_code from kpi.kpi_progress order by 1")
    assert [code for (code,) in figures] == [CITY[0], *sorted(DISTRICTS)]
    prefixes = _served(
        second_city, "select distinct substr(region_code, 1, 4) from conformed.dim_region"
    )
    assert prefixes == [(CITY[0][:4],)]
    # The plan's projects are the profile's: its own SA project is counted by SA06.
    sa_projects = _served(
        second_city,
        "select distinct project_name from marts.fct_project_services where action_line = 'SA'",
    )
    assert ("情暖宿迁",) in sa_projects
    kpis = dict(
        _served(
            second_city,
            "select plan_year, count(distinct kpi_code) from kpi.kpi_progress group by 1",
        )
    )
    plan = _plan()
    # 2023, the year before the first plan, is its baseline; 2024 also shows SP03 as a baseline
    # for 2025; SA07 has no measure, so 2025 has one KPI fewer than its plan.
    assert kpis == {2023: len(plan[2024]), 2024: len(plan[2024]) + 1, 2025: len(plan[2025]) - 1}


def _plan() -> dict[int, set[str]]:
    with (PROFILE / "seeds" / "kpi_targets.csv").open(encoding="utf-8") as seed:
        rows = list(csv.DictReader(seed))
    return {
        year: {r["kpi_code"] for r in rows if r["plan_year"] == str(year)} for year in (2024, 2025)
    }


def test_each_month_follows_the_plan_of_its_year(second_city: dict[str, Any]) -> None:
    def city(kpi: str) -> dict[int, tuple[Any, ...]]:
        rows = _served(
            second_city,
            "select plan_year, target_value, target_basis, status from kpi.kpi_progress"
            " where kpi_code = ? and region_level = 'city' and month(period_month) = 6",
            kpi,
        )
        return {int(row[0]): tuple(row[1:]) for row in rows}

    ec11, ss05, sp03 = city("EC11"), city("SS05"), city("SP03")
    assert ec11[2024][:2] == (0.8, "explicit") and ec11[2025][:2] == (0.85, "explicit")
    assert 2024 in ss05 and 2025 not in ss05
    assert sp03[2024] == (None, "baseline", "监测") and sp03[2025][:2] == (20.0, "explicit")
    assert city("SA07") == {}
    current = _served(
        second_city, "select distinct plan_year from kpi.kpi_progress where is_current_plan_year"
    )
    assert current == [(2025,)]
    assert "without a measure" in second_city["run"] and "SA07" in second_city["run"]


def test_every_2025_figure_carries_the_same_month_of_2024(second_city: dict[str, Any]) -> None:
    """同比: each 2025 row's last-year value is the 2024 row of its KPI, region and month as
    that row is shown (null where withheld), and the change is the difference."""
    rows = _served(
        second_city,
        """
        select
            now.kpi_code, now.region_code, now.period_month, now.actual_value,
            now.actual_value_last_year, now.year_on_year_change,
            case when last.is_withheld then null else last.actual_value end as shown
        from kpi.kpi_progress as now
        inner join kpi.kpi_progress as last
            on now.kpi_code = last.kpi_code and now.region_code = last.region_code
            and last.period_month = now.period_month - interval 1 year
        where now.plan_year = 2025
        """,
    )
    assert len(rows) > 1000
    compared = 0
    for kpi, region, month, actual, last_year, change, shown in rows:
        assert last_year == pytest.approx(shown), (kpi, region, month)
        if actual is not None and last_year is not None:
            assert change == pytest.approx(actual - last_year), (kpi, region, month)
            compared += 1
    assert compared > 500


def test_the_second_citys_quarterly_report_is_its_bureaus(second_city: dict[str, Any]) -> None:
    folder = second_city["data"] / "exports" / "2025Q2"
    workbook = folder / f"{CITY[1]}民政五大行动指标季报_2025Q2.xlsx"
    book = load_workbook(workbook)
    cover = [row[:2] for row in book["封面"].iter_rows(values_only=True)]
    assert cover[0][0] == f"{CITY[1]}民政五大行动指标季度报表"
    assert ("填报单位", CITY[2]) in cover
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reporting_unit"] == CITY[2]
    header = [cell.value for cell in book[book.sheetnames[1]][2]]
    named = [value for value in header if value in {CITY[1], *DISTRICTS.values()}]
    assert named == [CITY[1], *[DISTRICTS[code] for code in sorted(DISTRICTS)]]
    # The quarter's catalog is the 2025 plan's: SA07 is listed without figures, SS05 is gone.
    listed = {
        str(row[1]): row
        for name in book.sheetnames[1:]
        for row in book[name].iter_rows(min_row=4, values_only=True)
        if isinstance(row[0], int)
    }
    assert set(listed) == _plan()[2025], sorted(listed)
    assert "—" in listed["SA07"]


def test_the_second_city_has_a_role_per_district(second_superset: SupersetServer) -> None:
    admin = second_superset.admin()
    roles = admin.get("/api/v1/security/roles/", params={"q": "(page_size:100)"}).json()
    district_roles = {r["name"] for r in roles["result"] if r["name"].startswith("区县-")}
    assert district_roles == {f"区县-{name}" for name in DISTRICTS.values()}
    datasets = admin.get("/api/v1/dataset/", params={"q": "(page_size:100)"}).json()["result"]
    kpi = next(d for d in datasets if d["table_name"] == "kpi_progress")
    for code, name in DISTRICTS.items():
        second_superset.create_user(admin, f"second_{code}", f"区县-{name}", PASSWORD)
        district = second_superset.client(f"second_{code}", PASSWORD)
        status, seen = distinct_values(district, kpi, "region_code")
        assert status == 200, name
        assert seen == {code, CITY[0]}, (name, seen)
        # The overview's charts hold no status of another district (no column of it to draw).
        for chart in district.get("/api/v1/dashboard/overview/charts").json()["result"]:
            response = district.get(f"/api/v1/chart/{chart['id']}/data/")
            assert response.status_code == 200, (name, chart["slice_name"])
            for row in response.json()["result"][0]["data"]:
                assert all(
                    row.get(f"status_{other}") is None for other in DISTRICTS if other != code
                )
    # The product's name is the city's, from the served figures.
    assert f"{CITY[1]}民政数据仓库" in second_superset.client().get("/login/").text


def test_the_overview_lists_the_current_plan_in_its_catalog_order(
    second_superset: SupersetServer,
) -> None:
    """The matrix has a row for each measured KPI of the 2025 plan, numbered (序号) and ordered
    as the 2025 catalog numbers them (SP03, new in 2025, is 31st), a status for each district."""
    admin = second_superset.admin()
    dashboards = admin.get("/api/v1/dashboard/", params={"q": "(page_size:100)"}).json()
    overview = next(d for d in dashboards["result"] if d["slug"] == "overview")
    charts = admin.get(f"/api/v1/dashboard/{overview['id']}/charts").json()["result"]
    chart = next(c for c in charts if c["slice_name"].startswith("总览·指标 × 区县状态"))
    response = admin.get(f"/api/v1/chart/{chart['id']}/data/", params={"force": "true"})
    assert response.status_code == 200, response.text[:300]
    matrix = response.json()["result"][0]["data"]
    with (PROFILE / "seeds" / "kpi_targets.csv").open(encoding="utf-8") as seed:
        plan = [row for row in csv.DictReader(seed) if row["plan_year"] == "2025"]
    measured = [row["kpi_code"] for row in plan if row["kpi_code"] != "SA07"]
    assert [row["kpi_label"].split(" ")[0] for row in matrix] == measured
    order = {row["kpi_code"]: int(row["catalog_order"]) for row in plan}
    shown = {row["kpi_label"].split(" ")[0]: row for row in matrix}
    assert order["SP03"] == 31
    for kpi, row in shown.items():
        assert [value for key, value in row.items() if "order" in key] == [order[kpi]], row
        assert all(f"status_{code}" in row for code in DISTRICTS), row


def test_the_second_citys_overview_draws_whole_in_chromium(
    second_superset: SupersetServer,
) -> None:
    code = sorted(DISTRICTS)[-1]
    admin = second_superset.admin()
    second_superset.create_user(admin, "second_viewer", f"区县-{DISTRICTS[code]}", PASSWORD)
    out = second_superset.output / "screenshots"
    result = second_superset.python(
        "-m",
        "minzheng_superset.screenshots",
        "--url",
        second_superset.url,
        "--out",
        str(out),
        "--slugs",
        "overview",
        "--as",
        f"admin:{ADMIN[0]}:{ADMIN[1]}",
        "--as",
        f"district:second_viewer:{PASSWORD}",
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])["people"]
    for person, pages in report.items():
        overview = next(page for page in pages if page["slug"] == "overview")
        assert not overview["errors"], (person, overview["errors"])
        assert overview["charts"] >= 2 and not overview["no_access_page"], person
        assert Path(overview["screenshot"]).stat().st_size > 10_000, person
        assert CITY[1] in overview["text"], person
        assert "数据月份 2025年06月" in overview["text"], person
    district_text = next(p for p in report["district"] if p["slug"] == "overview")["text"]
    others = [name for other, name in DISTRICTS.items() if other != code]
    assert not [name for name in others if name in district_text], district_text[:500]
    print(f"\nsecond city's overview: {out / 'admin' / 'overview.png'}")

"""The six dashboards as they are seen in Chromium: admin, 市领导, the district officials whose
district has no records in at least one fact table, and a user with no data role (Public only).

One Chromium run for all (minzheng_superset.screenshots in Superset's environment): each dashboard
is read only once every chart has drawn (60 s at most), then checked for errors, empty charts and
English interface text. Screenshots stay in the session's output folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.superset.conftest import ADMIN, DISTRICTS, MEASURES, SupersetServer

PASSWORD = "person-test-password"
PEOPLE = {
    "admin": (ADMIN[0], None),
    "leader": ("person_leader", "市领导"),
    "public": ("person_public", "Public"),
}


def districts_without_records(server: SupersetServer) -> dict[str, list[str]]:
    """District name -> the fact tables across districts in which it has no row, from the
    serving file (the tables whose datasets a district sees in part, not whole)."""
    admin = server.admin()
    listed = admin.get("/api/v1/dataset/", params={"q": "(page_size:100)"}).json()["result"]
    missing: dict[str, list[str]] = {}
    with duckdb.connect(str(server.serving), read_only=True) as connection:
        for item in listed:
            dataset = admin.get(f"/api/v1/dataset/{item['id']}").json()["result"]
            extra = json.loads(dataset.get("extra") or "{}")
            column = extra.get("minzheng_region_column")
            if not column or extra.get("minzheng_city_rows"):
                continue
            table = f"{dataset['schema']}.{dataset['table_name']}"
            present = {
                row[0]
                for row in connection.execute(
                    f"select distinct substr(cast({column} as varchar), 1, 6) from {table}"
                ).fetchall()
            }
            for code, name in DISTRICTS.items():
                if code not in present:
                    missing.setdefault(name, []).append(dataset["table_name"])
    return dict(sorted(missing.items()))


@pytest.fixture(scope="module")
def seen(superset_server: SupersetServer) -> dict[str, dict[str, dict[str, Any]]]:
    """person -> slug -> what Chromium saw (the home page under 'welcome')."""
    admin = superset_server.admin()
    dashboards = admin.get("/api/v1/dashboard/", params={"q": "(page_size:100)"}).json()
    slugs = sorted(d["slug"] for d in dashboards["result"])
    assert len(slugs) == 6, slugs
    # The districts a chart could be empty for: at least one, or the check below proves nothing.
    missing = districts_without_records(superset_server)
    assert missing, "every district has rows in every fact table: no district to check"
    MEASURES["districts_without_records"] = missing
    codes = {name: code for code, name in DISTRICTS.items()}
    districts = {
        f"district-{codes[name]}": (f"person_district_{codes[name]}", f"区县-{name}")
        for name in missing
    }
    people = []
    for name, (user, role) in {**PEOPLE, **districts}.items():
        if role is not None:
            superset_server.create_user(admin, user, role, PASSWORD)
        people += ["--as", f"{name}:{user}:{ADMIN[1] if role is None else PASSWORD}"]
    out = superset_server.output / "screenshots"
    result = superset_server.python(
        "-m",
        "minzheng_superset.screenshots",
        "--url",
        superset_server.url,
        "--out",
        str(out),
        "--slugs",
        ",".join(slugs),
        *people,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])["people"]
    MEASURES["screenshots"] = str(out)
    MEASURES["dashboard_render_seconds"] = {
        name: {page["slug"]: page["seconds"] for page in pages} for name, pages in report.items()
    }
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    return {name: {page["slug"]: page for page in pages} for name, pages in report.items()}


def _district_people(seen: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    return [person for person in seen if person.startswith("district-")]


@pytest.mark.timeout(1800)
def test_every_dashboard_draws_whole_in_chinese(
    seen: dict[str, dict[str, dict[str, Any]]],
) -> None:
    """For admin, 市领导 and each district official: no error, no empty chart, no English."""
    people = ["admin", "leader", *_district_people(seen)]
    problems: dict[str, dict[str, list[str]]] = {}
    for person in people:
        pages = seen[person]
        assert len(pages) == 7, person  # the home page and six dashboards
        for slug, page in pages.items():
            if page["errors"]:
                problems.setdefault(person, {})[slug] = page["errors"]
            assert Path(page["screenshot"]).stat().st_size > 10_000, (person, slug)
            if slug != "welcome":
                assert page["charts"] >= 2, (person, slug, page["charts"])
                assert not page["no_access_page"], (person, slug)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_a_user_without_data_role_sees_only_the_chinese_no_access_page(
    seen: dict[str, dict[str, dict[str, Any]]],
) -> None:
    pages = seen["public"]
    assert len(pages) == 7
    for slug, page in pages.items():
        assert page["no_access_page"], (slug, page["text"][:300])
        assert page["status"] in (200, 403), slug
        assert "暂无访问权限" in page["text"], slug
        assert not page["errors"], (slug, page["errors"])


def test_a_district_official_sees_only_the_district(
    seen: dict[str, dict[str, dict[str, Any]]],
) -> None:
    """On the overview and an action line's dashboard, the district and the city, no other
    district: the status matrix has no column for the districts the official cannot see."""
    for person in _district_people(seen):
        name = DISTRICTS[person.removeprefix("district-")]
        for slug in ("overview", "line-sa"):
            page = seen[person][slug]["text"]
            assert name in page and "泰州市" in page, (person, slug)
            for other in set(DISTRICTS.values()) - {name}:
                assert other not in page, (person, slug, other)

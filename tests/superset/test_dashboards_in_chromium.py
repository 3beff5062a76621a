"""The six dashboards as four people see them in Chromium: admin, 市领导, a district official and a
user with no data role (Public only).

One Chromium run for all four (minzheng_superset.screenshots in Superset's environment): each
dashboard is read only once every chart has drawn (60 s at most), then checked for errors, empty
charts and English interface text. Screenshots stay in the session's output folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.superset.conftest import ADMIN, MEASURES, SupersetServer

PASSWORD = "person-test-password"
PEOPLE = {
    "admin": (ADMIN[0], None),
    "leader": ("person_leader", "市领导"),
    "district": ("person_xinghua", "区县-兴化市"),
    "public": ("person_public", "Public"),
}


@pytest.fixture(scope="module")
def seen(superset_server: SupersetServer) -> dict[str, dict[str, dict[str, Any]]]:
    """person -> slug -> what Chromium saw (the home page under 'welcome')."""
    admin = superset_server.admin()
    dashboards = admin.get("/api/v1/dashboard/", params={"q": "(page_size:100)"}).json()
    slugs = sorted(d["slug"] for d in dashboards["result"])
    assert len(slugs) == 6, slugs
    people = []
    for name, (user, role) in PEOPLE.items():
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


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("person", ["admin", "leader", "district"])
def test_every_dashboard_draws_whole_in_chinese(
    seen: dict[str, dict[str, dict[str, Any]]], person: str
) -> None:
    pages = seen[person]
    assert len(pages) == 7  # the home page and six dashboards
    problems = {slug: page["errors"] for slug, page in pages.items() if page["errors"]}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    for slug, page in pages.items():
        assert Path(page["screenshot"]).stat().st_size > 10_000, slug
        if slug != "welcome":
            assert page["charts"] >= 2, (slug, page["charts"])
            assert not page["no_access_page"], slug


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


def test_the_district_official_sees_only_the_district(
    seen: dict[str, dict[str, dict[str, Any]]],
) -> None:
    """On an action line's dashboard, the district and the city, no other district."""
    page = seen["district"]["line-sa"]["text"]
    assert "兴化市" in page and "泰州市" in page
    for other in ("海陵区", "高港区", "姜堰区", "靖江市", "泰兴市"):
        assert other not in page, other

"""Acceptance of the Superset serving layer against a served file built by the pipeline.

One Superset (gunicorn, free loopback port) for the module; the bootstrap has run twice before it
starts. The freshness test swaps the serving file, so it runs last.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.superset.conftest import (
    chart_query,
    distinct_values,
    DISTRICTS,
    MEASURES,
    ROOT,
    SUPERSET_PYTHON,
    SupersetServer,
)

LINE_DASHBOARDS = {
    "社会救助暖心行动",
    "养老服务提质行动",
    "困境儿童守护行动",
    "社会参与聚力行动",
    "专项事务满意行动",
}
PASSWORD = "district-test-password"
STATUSES = {"达标", "序时达标", "滞后", "监测", "无数据", "不公开"}


def _dashboards(client: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/dashboard/", params={"q": "(page_size:100)"})
    assert response.status_code == 200, response.text
    return list(response.json()["result"])


def _datasets(client: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/dataset/", params={"q": "(page_size:100)"})
    assert response.status_code == 200, response.text
    return [
        client.get(f"/api/v1/dataset/{d['id']}").json()["result"] for d in response.json()["result"]
    ]


def _region_column(dataset: dict[str, Any]) -> str | None:
    extra = json.loads(dataset.get("extra") or "{}")
    return extra.get("minzheng_region_column")


def _serving_kpis(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            row[0]
            for row in connection.execute(
                "select distinct kpi_code from kpi.kpi_progress"
            ).fetchall()
        }


# The first test pays for the session's server: a pipeline build when no serving file exists yet,
# two bootstraps and gunicorn's start.
@pytest.mark.timeout(1800)
def test_bootstrap_twice_changes_nothing(superset_server: SupersetServer) -> None:
    first, second = superset_server.snapshots
    for part in first:
        assert first[part] == second[part], f"the second bootstrap changed {part}"
    assert len(first["dashboards"]) == 6
    assert {row[1] for row in first["dashboards"]} == {"五大行动总览", *LINE_DASHBOARDS}
    assert len({row[0] for row in first["charts"]}) == len(first["charts"])


def test_bundle_is_deterministic_and_covers_every_kpi(superset_server: SupersetServer) -> None:
    first, second = (superset_server.output / "bundle-1", superset_server.output / "bundle-2")
    for folder in (first, second):
        result = superset_server.python("-m", "minzheng_superset", "bundle", str(folder))
        assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.yaml"))
    for name in files:
        assert (first / name).read_text() == (second / name).read_text(), name
    names = [
        yaml.safe_load((first / n).read_text())["slice_name"]
        for n in files
        if n.parts[0] == "charts"
    ]
    for kpi in _serving_kpis(superset_server.serving):
        assert any(n.startswith(f"{kpi} ") and "·月度趋势" in n for n in names), kpi
        assert any(n.startswith(f"{kpi} ") and "（最新月）" in n for n in names), kpi


def test_connection_is_read_only_on_the_serving_file(superset_server: SupersetServer) -> None:
    databases = superset_server.snapshots[-1]["databases"]
    assert len(databases) == 1
    _, _, uri, extra = databases[0]
    assert uri == f"duckdb:///{superset_server.serving}"
    assert json.loads(extra)["engine_params"]["connect_args"]["read_only"] is True


def test_metrics_come_from_the_semantic_layer(superset_server: SupersetServer) -> None:
    semantic = yaml.safe_load((ROOT / "dbt_project" / "metrics" / "semantic_layer.yml").read_text())
    defined = {
        m["name"]: " ".join(m["expression"].split()) for m in semantic["kpi_progress"]["metrics"]
    }
    defined.update(
        {m["name"]: " ".join(m["expression"].split()) for m in semantic["marts"]["metrics"]}
    )
    for table in semantic["marts"]["tables"].values():
        defined.update({m["name"]: " ".join(m["expression"].split()) for m in table["metrics"]})
    served = superset_server.snapshots[-1]["metrics"]
    assert served
    for _, name, expression, _, label in served:
        assert label
        # Generated from the serving file's regions and catalog: the overview's status matrix.
        if name.startswith("status_") or name.endswith("_order_min"):
            continue
        assert defined[name] == expression, name
    # Ratios roll up as sums of numerators over sums of denominators.
    assert defined["ratio_value"].startswith("sum(numerator)")
    assert "sum(denominator)" in defined["ratio_value"]


def test_every_chart_of_every_dashboard_returns_data(superset_server: SupersetServer) -> None:
    client = superset_server.admin()
    latencies: list[float] = []
    failures: list[str] = []
    matrix: list[dict[str, Any]] = []
    for dashboard in _dashboards(client):
        charts = client.get(f"/api/v1/dashboard/{dashboard['id']}/charts").json()["result"]
        assert charts, dashboard["dashboard_title"]
        for chart in charts:
            started = time.monotonic()
            response = client.get(f"/api/v1/chart/{chart['id']}/data/", params={"force": "true"})
            latencies.append(time.monotonic() - started)
            if response.status_code != 200:
                failures.append(
                    f"{chart['slice_name']}: {response.status_code} {response.text[:300]}"
                )
                continue
            result = response.json()["result"][0]
            if result.get("error"):
                failures.append(f"{chart['slice_name']}: {result['error']}")
            if chart["slice_name"].startswith("总览·指标 × 区县状态"):
                matrix = result["data"]
    assert not failures, "\n".join(failures)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    MEASURES["chart_data_requests"] = len(latencies)
    MEASURES["chart_data_p50_seconds"] = round(statistics.median(latencies), 3)
    MEASURES["chart_data_p95_seconds"] = round(p95, 3)
    # 五大行动总览's matrix: every KPI of the served file in catalog order, a status per region.
    kpis = _serving_kpis(superset_server.serving)
    assert kpis
    assert [row["kpi_label"].split(" ")[0] for row in matrix] == _catalog_order(superset_server)
    for row in matrix:
        assert row["status_321200"] in STATUSES, row
        for code in DISTRICTS:
            assert row[f"status_{code}"] in {*STATUSES, "—"}, row


def _catalog_order(server: SupersetServer) -> list[str]:
    with duckdb.connect(str(server.serving), read_only=True) as connection:
        rows = connection.execute(
            "select kpi_code from kpi.kpi_catalog where kpi_code in"
            " (select kpi_code from kpi.kpi_progress) group by kpi_code order by min(catalog_order)"
        ).fetchall()
    return [row[0] for row in rows]


def _bundle(server: SupersetServer, data_dir: Path, folder: Path) -> dict[str, list[Any]]:
    """The import bundle the design makes of the serving file in data_dir, read back."""
    env = {**server.env, "MINZHENG_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [str(SUPERSET_PYTHON), "-m", "minzheng_superset", "bundle", str(folder)],
        cwd=SUPERSET_PYTHON.parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        part: [yaml.safe_load(p.read_text()) for p in sorted((folder / part).glob("*.yaml"))]
        for part in ("charts", "dashboards")
    }


def _expected_differs(serving: Path) -> set[str]:
    """KPIs whose 序时进度 differs from the target in the latest month, as the served rows say."""
    semantic = yaml.safe_load((ROOT / "dbt_project" / "metrics" / "semantic_layer.yml").read_text())
    latest = next(
        d["expression"]
        for d in semantic["kpi_progress"]["dimensions"]
        if d["name"] == "is_latest_month"
    )
    with duckdb.connect(str(serving), read_only=True) as connection:
        rows = connection.execute(
            f"select distinct kpi_code from kpi.kpi_progress where ({latest})"
            " and expected_progress is distinct from target_value"
            " and expected_progress is not null"
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.parametrize("data_month", ["2024-12", "2024-06"])
def test_one_visual_language_on_every_chart(
    superset_server: SupersetServer, tmp_path: Path, data_month: str
) -> None:
    """One colour per meaning, legends in one order, no value labels on grouped bars, integer
    axes for counts, 序时进度 only where the served figures differ from the target: at year end
    and, on a copy of the serving file whose data reach only June, in mid-year."""
    data = tmp_path / "data"
    (data / "serving").mkdir(parents=True)
    serving = data / "serving" / "minzheng.duckdb"
    shutil.copy2(superset_server.serving, serving)
    with duckdb.connect(str(serving)) as connection:
        connection.execute(
            "update kpi.kpi_progress set data_as_of = last_day(cast(? as date))",
            [f"{data_month}-01"],
        )
    bundle = _bundle(superset_server, data, tmp_path / "bundle")
    palettes = [d["metadata"]["label_colors"] for d in bundle["dashboards"]]
    assert len(bundle["dashboards"]) == 6
    assert all(p == palettes[0] for p in palettes), "a label changes colour between dashboards"
    palette = palettes[0]
    actual = {palette[label] for label in ("实际值", "实际值（比率）", "实际值（数量）")}
    assert len(actual) == 1, "实际值 in more than one colour"
    meanings = [*actual, palette["目标值"], palette["序时进度"], *(palette[s] for s in STATUSES)]
    assert len(set(meanings)) == len(meanings), "two meanings share a colour"

    differs = _expected_differs(serving)
    if data_month == "2024-06":
        assert differs, "mid-year, cumulative KPIs have a 序时进度 below the target"
    legend_rank = {"ratio_value": 0, "count_value": 0, "kpi_value": 0, "target": 1, "expected": 2}
    compared: set[str] = set()
    for chart in bundle["charts"]:
        params, name = chart["params"], chart["slice_name"]
        metrics = [m for m in params.get("metrics") or [] if isinstance(m, str)]
        ranks = [legend_rank[m] for m in metrics if m in legend_rank]
        assert ranks == sorted(ranks), f"{name}: legend out of order {metrics}"
        if not chart["viz_type"].startswith("echarts_timeseries"):
            continue
        if len(metrics) > 1:
            assert params.get("show_value") is False, f"{name}: value labels on grouped bars"
        if "count_value" in metrics:
            assert params["y_axis_format"] == ",d", f"{name}: a count axis not in integers"
        if "（最新月）" in name:
            kpi = name.split(" ")[0]
            compared.add(kpi)
            assert ("expected" in metrics) == (kpi in differs), f"{name}: 序时进度 {metrics}"
    assert compared == _serving_kpis(serving)


def test_district_roles_see_only_their_district_on_every_dataset(
    superset_server: SupersetServer,
) -> None:
    admin = superset_server.admin()
    datasets = _datasets(admin)
    assert len(datasets) >= 2
    kpi = next(d for d in datasets if d["table_name"] == "kpi_progress")
    assert _region_column(kpi) == "region_code"

    superset_server.create_user(admin, "leader", "市领导", PASSWORD)
    leader = superset_server.client("leader", PASSWORD)
    status, regions = distinct_values(leader, kpi, "region_code")
    assert status == 200
    assert regions == {"321200", *DISTRICTS}

    for code, name in DISTRICTS.items():
        superset_server.create_user(admin, f"district_{code}", f"区县-{name}", PASSWORD)
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(
            pool.map(
                lambda item: _check_district(superset_server, *item, datasets), DISTRICTS.items()
            )
        )


def _check_district(
    server: SupersetServer, code: str, name: str, datasets: list[dict[str, Any]]
) -> None:
    district = server.client(f"district_{code}", PASSWORD)
    kpi = next(d for d in datasets if d["table_name"] == "kpi_progress")
    seen = 0
    for dataset in datasets:
        # A table with no region column is hidden from districts (RLS clause 1 = 0).
        column = _region_column(dataset) or next(
            c["column_name"] for c in dataset["columns"] if not c.get("expression")
        )
        status, values = distinct_values(district, dataset, column)
        assert status == 200, (name, dataset["table_name"])
        if not _region_column(dataset):
            assert not values, (name, dataset["table_name"], values)
            continue
        # The KPI table shows a district the city's rows too; a city-scope table is whole.
        city_rows = json.loads(dataset.get("extra") or "{}").get("minzheng_city_rows")
        if city_rows and dataset["table_name"] != "kpi_progress":
            assert len({value[:6] for value in values}) == 1  # a city-scope table, whole
            continue
        own = {code, "321200"} if city_rows else {code}
        assert {value[:6] for value in values} <= own, (name, dataset["table_name"], values)
        seen += bool(values)
        if not city_rows:  # a fact table across districts: its count here, 0 when it has none
            counts = _records_by_district(district, dataset)
            served = _served_records(server.serving, dataset, code)
            assert counts == {name: served}, (name, dataset["table_name"], counts, served)
    assert seen >= 2, f"{name} sees rows in only {seen} datasets"
    _, kpi_regions = distinct_values(district, kpi, "region_code")
    assert kpi_regions == {code, "321200"}
    # The overview's charts run for it too: the matrix has no status (no column) of another
    # district.
    for chart in district.get("/api/v1/dashboard/overview/charts").json()["result"]:
        response = district.get(f"/api/v1/chart/{chart['id']}/data/")
        assert response.status_code == 200, (name, chart["slice_name"], response.text[:300])
        rows = response.json()["result"][0]["data"]
        assert rows, (name, chart["slice_name"])
        for row in rows:
            for other in set(DISTRICTS) - {code}:
                assert row.get(f"status_{other}") is None, (chart["slice_name"], row)


def _records_by_district(client: Any, dataset: dict[str, Any]) -> dict[str, int]:
    """district_name -> record_count (the dataset's own metric) as this client's user."""
    status, rows = chart_query(client, dataset, ["district_name"], ["record_count"])
    assert status == 200, (dataset["table_name"], status)
    return {row["district_name"]: row["record_count"] for row in rows}


def _served_records(path: Path, dataset: dict[str, Any], code: str) -> int:
    """The rows of the dataset's table in the serving file that belong to the district."""
    column = _region_column(dataset)
    with duckdb.connect(str(path), read_only=True) as connection:
        row = connection.execute(
            f"select count(*) from {dataset['schema']}.{dataset['table_name']}"
            f" where substr(cast({column} as varchar), 1, 6) = ?",
            [code],
        ).fetchone()
    return int(row[0]) if row else 0


def test_public_gets_nothing(superset_server: SupersetServer) -> None:
    anonymous = superset_server.client()
    assert anonymous.get("/api/v1/dashboard/").status_code == 401
    assert anonymous.get("/api/v1/chart/").status_code == 401
    assert anonymous.get("/api/v1/dataset/").status_code == 401
    admin = superset_server.admin()
    chart_ids = [
        c["id"] for c in admin.get("/api/v1/chart/", params={"q": "(page_size:5)"}).json()["result"]
    ]
    for chart_id in chart_ids:
        assert anonymous.get(f"/api/v1/chart/{chart_id}/data/").status_code in (401, 403)
    dataset = _datasets(admin)[0]
    status, values = distinct_values(anonymous, dataset, _region_column(dataset) or "region_code")
    assert status in (401, 403) and not values
    page = anonymous.get("/superset/dashboard/overview/", follow_redirects=False)
    assert page.status_code in (302, 401, 403)
    assert "login" in page.headers.get("location", "/login")
    roles = superset_server.snapshots[-1]["roles"]
    public = [(r[1], r[2]) for r in roles if r[0] == "Public" and r[1] is not None]
    assert public == [("can_language_pack", "Superset")]


def test_every_role_reads_the_chinese_language_pack(superset_server: SupersetServer) -> None:
    """Without can_language_pack a reader's pages fall back to English (Settings, Search …)."""
    admin = superset_server.admin()
    for username, role in (("pack_leader", "市领导"), ("pack_district", "区县-海陵区")):
        superset_server.create_user(admin, username, role, PASSWORD)
    readers = [admin, *(_session(superset_server, u) for u in ("pack_leader", "pack_district"))]
    for client in [*readers, superset_server.client()]:
        response = client.get("/superset/language_pack/zh/")
        assert response.status_code == 200, response.text[:300]
        messages = response.json()["locale_data"]["superset"]
        assert messages["Dashboards"] == ["看板"]
        # Corrected: Superset's catalogue has "%s 异常" (anomalies) for the table search box.
        assert messages["%s record"] == ["%s 条记录"]


def test_a_user_without_data_role_gets_a_chinese_no_access_page(
    superset_server: SupersetServer,
) -> None:
    admin = superset_server.admin()
    superset_server.create_user(admin, "no_role", "Public", PASSWORD)
    client = _session(superset_server, "no_role")
    for path in ("/superset/welcome/", "/superset/dashboard/overview/", "/dashboard/list/"):
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 403, (path, page.status_code)
        assert "暂无访问权限" in page.text and "尚未分配数据角色" in page.text
    assert client.get("/api/v1/dashboard/").status_code in (401, 403)


def test_district_roles_cannot_read_table_metadata(superset_server: SupersetServer) -> None:
    admin = superset_server.admin()
    database = admin.get("/api/v1/database/").json()["result"][0]["id"]
    superset_server.create_user(admin, "meta_district", "区县-高港区", PASSWORD)
    district = superset_server.client("meta_district", PASSWORD)
    metadata = f"/api/v1/database/{database}/table_metadata/?name=kpi_progress&schema=kpi"
    star = f"/api/v1/database/{database}/select_star/kpi_progress/kpi/"
    assert admin.get(metadata).status_code == 200
    for path in (metadata, star, f"/api/v1/database/{database}/tables/?q=(schema_name:kpi)"):
        assert district.get(path).status_code in (401, 403, 404), path


def _session(server: SupersetServer, username: str) -> Any:
    """A browser-like session (form login, cookies), as a person signs in."""
    client = server.client()
    login = client.get("/login/")
    token = _csrf_token(login.text)
    response = client.post(
        "/login/",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text[:300]
    return client


def _csrf_token(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"csrf_token"\s*:\s*"([^"]+)"', html
    )
    assert match, html[:500]
    return match.group(1)


def test_publish_swap_is_served_at_once(superset_server: SupersetServer) -> None:
    """After os.replace of the serving file, the same (cached) chart shows the new figures."""
    client = superset_server.admin()
    charts = client.get("/api/v1/dashboard/line-sa/charts").json()["result"]
    chart = next(c for c in charts if "各指标进度" in c["slice_name"])

    def rows() -> tuple[bool, list[dict[str, Any]]]:
        response = client.get(f"/api/v1/chart/{chart['id']}/data/")
        assert response.status_code == 200, response.text
        result = response.json()["result"][0]
        return bool(result.get("is_cached")), result["data"]

    rows()
    cached, before = rows()
    assert cached, "chart data is not cached: the freshness check would prove nothing"
    assert all(row["region_name"] != "测试新区" for row in before)

    serving = superset_server.serving
    building = serving.with_name("minzheng.building.duckdb")
    shutil.copy2(serving, building)
    with duckdb.connect(str(building)) as connection:
        connection.execute(
            "update kpi.kpi_progress set region_name = '测试新区' where region_code = '321200'"
        )
        connection.execute("checkpoint")
    os.replace(building, serving)

    cached, after = rows()
    assert not cached
    assert any(row["region_name"] == "测试新区" for row in after)


def test_the_progress_tables_show_the_same_month_of_last_year(
    superset_server: SupersetServer,
) -> None:
    """同比 beside every figure of an action line's table: last year's value and the signed change
    (percentage points for ratios) as the served rows give them, '—' where there is none."""
    client = superset_server.admin()
    charts = client.get("/api/v1/dashboard/line-sa/charts").json()["result"]
    chart = next(c for c in charts if "各指标进度" in c["slice_name"])
    response = client.get(f"/api/v1/chart/{chart['id']}/data/")
    assert response.status_code == 200, response.text
    shown = {
        (row["kpi_label"].split()[0], row["region_name"]): (
            row["last_year_display"],
            row["year_on_year_display"],
        )
        for row in response.json()["result"][0]["data"]
    }
    with duckdb.connect(str(superset_server.serving), read_only=True) as connection:
        served = connection.execute(
            "select kpi_code, region_name, measure_type, actual_value_last_year,"
            " year_on_year_change from kpi.kpi_progress where action_line = 'SA'"
            " and period_month = (select max(period_month) from kpi.kpi_progress"
            " where is_current_plan_year)"
        ).fetchall()
    assert len(shown) == len(served)

    def display(value: float | None, ratio: bool, signed: bool) -> str:
        if value is None:
            return "—"
        if ratio:
            return f"{value * 100:+.1f}个百分点" if signed else f"{value * 100:.1f}%"
        return f"{round(value):+,}" if signed else f"{round(value):,}"

    for kpi_code, region_name, measure_type, last_year, change in served:
        ratio = measure_type == "ratio"
        assert shown[(kpi_code, region_name)] == (
            display(last_year, ratio, signed=False),
            display(change, ratio, signed=True),
        ), (kpi_code, region_name)
    assert sum(change != "—" for _, change in shown.values()) > len(shown) / 2

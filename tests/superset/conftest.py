"""Superset acceptance fixtures: Superset's own environment, a served file, a running server.

The pipeline's environment (this pytest) drives Superset's (superset/.venv) through subprocesses
and HTTP only. The serving file is a copy of the session's one pipeline run (the `published`
fixture of tests/conftest.py, shared with the e2e tests). Set MINZHENG_SUPERSET_TEST_DATA_DIR to a
data dir holding a serving file to use that one.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from sources.common.regions import SEEDS

ROOT = Path(__file__).resolve().parents[2]
SUPERSET_DIR = ROOT / "superset"
SUPERSET_PYTHON = SUPERSET_DIR / ".venv" / "bin" / "python"
MINZHENG = str(Path(sys.executable).with_name("minzheng"))
ADMIN = ("admin", "admin-test-password")
# The districts and their names, from the reference seed (the warehouse's one copy).
with (SEEDS / "ref_counties.csv").open(encoding="utf-8") as _seed:
    DISTRICTS = {
        row["region_code"]: row["region_name"]
        for row in csv.DictReader(_seed)
        if row["region_level"] == "county"
    }
MEASURES: dict[str, Any] = {}


def _record(name: str, value: Any) -> None:
    MEASURES[name] = value


def ensure_superset_environment() -> None:
    """superset/.venv from its lock, Chromium and a CJK font: installed when missing."""
    if not SUPERSET_PYTHON.exists():
        started = time.monotonic()
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_COMPILE_BYTECODE": "1"}
        subprocess.run(
            [sys.executable, "-m", "uv", "sync", "--frozen", "--python", "3.11"],
            cwd=SUPERSET_DIR,
            env=env,
            check=True,
        )
        _record("superset_install_seconds", round(time.monotonic() - started, 1))
    missing_browser = not any(Path(p).exists() for p in ("/usr/bin/chromium",))
    missing_font = not list(Path("/usr/share/fonts").rglob("*CJK*")) and not list(
        Path("/usr/share/fonts").rglob("wqy*")
    )
    if missing_browser or missing_font:
        if os.geteuid() != 0:
            pytest.fail(
                "Chromium or a CJK font is missing and apt needs root: run make superset-setup"
            )
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SupersetServer:
    url: str
    env: dict[str, str]
    data_dir: Path
    output: Path
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    bootstrap_seconds: list[float] = field(default_factory=list)

    @property
    def serving(self) -> Path:
        return self.data_dir / "serving" / "minzheng.duckdb"

    @property
    def metadata_db(self) -> Path:
        return self.data_dir / "superset" / "superset.db"

    def client(self, user: str | None = None, password: str | None = None) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=120)
        if user is not None:
            response = client.post(
                "/api/v1/security/login",
                json={"username": user, "password": password, "provider": "db", "refresh": False},
            )
            assert response.status_code == 200, response.text
            client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return client

    def admin(self) -> httpx.Client:
        return self.client(*ADMIN)

    def create_user(self, admin: httpx.Client, username: str, role: str, password: str) -> None:
        """A user with one role, made over the REST API as the admin would."""
        roles = admin.get("/api/v1/security/roles/", params={"q": "(page_size:100)"}).json()
        role_id = next(r["id"] for r in roles["result"] if r["name"] == role)
        response = admin.post(
            "/api/v1/security/users/",
            json={
                "username": username,
                "first_name": username,
                "last_name": "test",
                "email": f"{username}@minzheng.invalid",
                "active": True,
                "password": password,
                "roles": [role_id],
            },
        )
        assert response.status_code in (200, 201), response.text

    def python(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SUPERSET_PYTHON), *args],
            cwd=SUPERSET_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def chart_query(
    client: Any, dataset: dict[str, Any], columns: list[str], metrics: list[Any]
) -> tuple[int, list[dict[str, Any]]]:
    """(status, rows) of one query through /api/v1/chart/data as this client's user."""
    body = {
        "datasource": {"id": dataset["id"], "type": "table"},
        "force": True,
        "queries": [
            {
                "columns": columns,
                "metrics": metrics,
                "filters": [],
                "row_limit": 10000,
                "time_range": "No filter",
            }
        ],
        "result_format": "json",
        "result_type": "full",
    }
    response = client.post("/api/v1/chart/data", json=body)
    if response.status_code != 200:
        return response.status_code, []
    return 200, list(response.json()["result"][0]["data"])


def distinct_values(client: Any, dataset: dict[str, Any], column: str) -> tuple[int, set[str]]:
    """(status, distinct values of column) as this client's user."""
    count = {"expressionType": "SQL", "sqlExpression": "count(*)", "label": "n"}
    status, rows = chart_query(client, dataset, [column], [count])
    return status, {str(row[column]) for row in rows}


def metadata_snapshot(path: Path) -> dict[str, Any]:
    """What the bootstrap owns, without ids-independent noise (timestamps)."""
    queries = {
        "databases": "select uuid, database_name, sqlalchemy_uri, extra from dbs order by uuid",
        "datasets": "select uuid, table_name, schema, extra from tables order by uuid",
        "metrics": "select t.uuid, m.metric_name, m.expression, m.d3format, m.verbose_name"
        " from sql_metrics m join tables t on t.id = m.table_id order by 1, 2",
        "columns": "select t.uuid, c.column_name, c.expression, c.verbose_name"
        " from table_columns c join tables t on t.id = c.table_id order by 1, 2",
        "charts": "select uuid, slice_name, viz_type, params, query_context from slices"
        " order by uuid",
        "dashboards": "select uuid, dashboard_title, slug, position_json, json_metadata"
        " from dashboards order by uuid",
        "dashboard_charts": "select d.uuid, s.uuid from dashboard_slices ds"
        " join dashboards d on d.id = ds.dashboard_id join slices s on s.id = ds.slice_id"
        " order by 1, 2",
        "roles": "select r.name, p.name, v.name from ab_role r"
        " left join ab_permission_view_role pvr on pvr.role_id = r.id"
        " left join ab_permission_view pv on pv.id = pvr.permission_view_id"
        " left join ab_permission p on p.id = pv.permission_id"
        " left join ab_view_menu v on v.id = pv.view_menu_id order by 1, 2, 3",
        "rls": "select f.name, f.clause, t.table_name, r.name from row_level_security_filters f"
        " left join rls_filter_tables ft on ft.rls_filter_id = f.id"
        " left join tables t on t.id = ft.table_id"
        " left join rls_filter_roles fr on fr.rls_filter_id = f.id"
        " left join ab_role r on r.id = fr.role_id order by 1, 3, 4",
        "users": "select username, active from ab_user order by username",
    }
    with sqlite3.connect(path) as connection:
        return {name: connection.execute(sql).fetchall() for name, sql in queries.items()}


@pytest.fixture(scope="session")
def superset_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[SupersetServer]:
    given = os.environ.get("MINZHENG_SUPERSET_TEST_DATA_DIR")
    # The session's one pipeline run (tests/conftest.py), unless a data dir is given.
    started = time.monotonic()
    source = Path(given) if given else request.getfixturevalue("published")
    _record("serving_file", f"copied from {source}")
    _record("serving_build_seconds", round(time.monotonic() - started, 1))
    base = tmp_path_factory.mktemp("superset")
    # Bootstrapped twice: the second must change nothing (test_bootstrap_twice_changes_nothing).
    with running_superset(base, source / "serving" / "minzheng.duckdb", bootstraps=2) as server:
        _record("bootstrap_seconds", server.bootstrap_seconds)
        try:
            yield server
        finally:
            report = server.output / "measures.json"
            report.write_text(json.dumps(MEASURES, ensure_ascii=False, indent=2), encoding="utf-8")
            print(f"\nSuperset measures ({report}): {json.dumps(MEASURES, ensure_ascii=False)}")


@contextmanager
def running_superset(base: Path, serving: Path, bootstraps: int = 1) -> Iterator[SupersetServer]:
    """Superset bootstrapped on a copy of ``serving`` under ``base`` and served until the block
    ends, as `minzheng_superset` runs it in production (gunicorn)."""
    ensure_superset_environment()
    data = base / "data"
    (data / "serving").mkdir(parents=True)
    shutil.copy2(serving, data / "serving" / "minzheng.duckdb")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "SUPERSET_", "MINZHENG_SUPERSET_"))
    }
    env.update(
        {
            "MINZHENG_DATA_DIR": str(data),
            "MINZHENG_SUPERSET_ADMIN_USER": ADMIN[0],
            "MINZHENG_SUPERSET_ADMIN_PASSWORD": ADMIN[1],
            "MINZHENG_SUPERSET_SECRET_KEY": "test-only-" + os.urandom(16).hex(),
            "PYTHONPATH": str(SUPERSET_DIR),
        }
    )
    port = free_port()
    server = SupersetServer(
        url=f"http://127.0.0.1:{port}", env=env, data_dir=data, output=base / "output"
    )
    server.output.mkdir()

    for _ in range(bootstraps):
        started = time.monotonic()
        result = server.python("-m", "minzheng_superset", "bootstrap")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
        server.bootstrap_seconds.append(round(time.monotonic() - started, 1))
        server.snapshots.append(metadata_snapshot(server.metadata_db))

    log = (server.output / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(SUPERSET_PYTHON), "-m", "minzheng_superset", "serve", "--port", str(port)],
        cwd=SUPERSET_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{server.url}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (server.output / "gunicorn.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "Superset not healthy after 120 s"
            time.sleep(1)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if MEASURES:
        terminalreporter.write_sep("-", "Superset serving layer: measures")
        for name, value in MEASURES.items():
            terminalreporter.write_line(f"{name}: {json.dumps(value, ensure_ascii=False)}")

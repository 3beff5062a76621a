"""Superset chart-data latency: every chart of every dashboard, uncached, against a serving file.

Superset runs from its own environment (superset/.venv) as `make serve` runs it: the idempotent
bootstrap (``python -m minzheng_superset bootstrap``), then gunicorn on a free loopback port. Its
metadata lives beside the serving file the benchmark built (``$MINZHENG_DATA_DIR/superset``). Each
chart's saved query context is POSTed to ``/api/v1/chart/data`` with ``force: true`` (Superset's
cache bypassed, the query runs on DuckDB): one untimed pass warms the workers, then ``repeat``
timed passes; p50 and p95 are over every timed request.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import signal
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.postgres import free_port
from minzheng import settings

SUPERSET_DIR = settings.PROJECT_ROOT / "superset"
SUPERSET_PYTHON = SUPERSET_DIR / ".venv" / "bin" / "python"
ADMIN_USER = "bench-admin"


def unavailable() -> str | None:
    """Why Superset cannot be measured here, or None."""
    if not SUPERSET_PYTHON.exists():
        return "Superset's environment is not installed (make superset-setup)"
    return None


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Superset:
    url: str
    user: str
    password: str
    bootstrap_seconds: float

    @contextlib.contextmanager
    def client(self) -> Iterator[httpx.Client]:
        """An HTTP client logged in as the bench's admin (bearer token)."""
        with httpx.Client(base_url=self.url, timeout=300) as client:
            response = client.post(
                "/api/v1/security/login",
                json={"username": self.user, "password": self.password, "provider": "db"},
            )
            response.raise_for_status()
            client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
            yield client


@contextlib.contextmanager
def running_superset(data_dir: Path, log: Path, workers: int = 2) -> Iterator[Superset]:
    """Bootstrap Superset on the serving file under data_dir and serve it until the block ends."""
    password = secrets.token_urlsafe(16)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "SUPERSET_", "MINZHENG_SUPERSET_"))
    }
    env.update(
        {
            "MINZHENG_DATA_DIR": str(data_dir),
            "MINZHENG_SUPERSET_ADMIN_USER": ADMIN_USER,
            "MINZHENG_SUPERSET_ADMIN_PASSWORD": password,
            "MINZHENG_SUPERSET_SECRET_KEY": "bench-" + secrets.token_hex(24),
            "PYTHONPATH": str(SUPERSET_DIR),
        }
    )
    with log.open("a", encoding="utf-8") as output:
        started = time.perf_counter()
        subprocess.run(
            [str(SUPERSET_PYTHON), "-m", "minzheng_superset", "bootstrap"],
            cwd=SUPERSET_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=1800,
            check=True,
        )
        bootstrap_seconds = round(time.perf_counter() - started, 1)
        port = free_port()
        server = subprocess.Popen(
            [
                str(SUPERSET_PYTHON),
                "-m",
                "minzheng_superset",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=SUPERSET_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server, timeout=240)
            yield Superset(url, ADMIN_USER, password, bootstrap_seconds)
        finally:
            _stop(server)


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return
        if server.poll() is not None:
            raise RuntimeError(f"Superset exited with {server.returncode} before it was healthy")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Superset not healthy after {timeout:.0f} s")
        time.sleep(1)


def _stop(server: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def dashboard_charts(client: httpx.Client) -> tuple[int, list[dict[str, Any]]]:
    """(dashboards, every distinct chart on them with its query context ready to POST)."""
    response = client.get("/api/v1/dashboard/", params={"q": "(page_size:100)"})
    response.raise_for_status()
    dashboards = response.json()["result"]
    charts: dict[int, dict[str, Any]] = {}
    for dashboard in dashboards:
        listed = client.get(f"/api/v1/dashboard/{dashboard['id']}/charts")
        listed.raise_for_status()
        for chart in listed.json()["result"]:
            if chart["id"] in charts:
                continue
            detail = client.get(f"/api/v1/chart/{chart['id']}")
            detail.raise_for_status()
            saved = detail.json()["result"].get("query_context")
            if not saved:
                raise RuntimeError(f"chart {chart['slice_name']} has no saved query context")
            body = json.loads(saved)
            datasource = str(chart["form_data"]["datasource"])  # "<id>__table"
            identifier, kind = datasource.split("__", 1)
            body["datasource"] = {"id": int(identifier), "type": kind}
            body["force"] = True
            body["result_format"] = "json"
            body["result_type"] = "full"
            charts[chart["id"]] = {"name": chart["slice_name"], "body": body}
    return len(dashboards), list(charts.values())


def chart_data_latency(superset: Superset, repeat: int = 3) -> dict[str, Any]:
    """p50/p95 seconds of POST /api/v1/chart/data over every chart, uncached."""
    with superset.client() as client:
        dashboards, charts = dashboard_charts(client)
        if not charts:
            raise RuntimeError("no dashboard holds a chart")
        failures: dict[str, str] = {}
        samples: list[float] = []
        for timed in [False] + [True] * repeat:
            for chart in charts:
                started = time.perf_counter()
                response = client.post("/api/v1/chart/data", json=chart["body"])
                seconds = time.perf_counter() - started
                error = _error(response)
                if error:
                    failures[chart["name"]] = error
                elif timed:
                    samples.append(seconds)
    if not samples:
        raise RuntimeError(f"every chart-data request failed, e.g. {next(iter(failures.items()))}")
    figure: dict[str, Any] = {
        "dashboards": dashboards,
        "charts": len(charts),
        "requests": len(samples),
        "repeat": repeat,
        "p50_seconds": round(statistics.median(samples), 3),
        "p95_seconds": round(percentile(samples, 0.95), 3),
        "max_seconds": round(max(samples), 3),
        "bootstrap_seconds": superset.bootstrap_seconds,
    }
    if failures:
        figure["failed_charts"] = failures
    return figure


def _error(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    for result in response.json().get("result", []):
        if result.get("error"):
            return str(result["error"])[:200]
    return None

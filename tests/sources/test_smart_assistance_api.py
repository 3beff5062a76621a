from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sources.common.reach import SourceUnreachable
from sources.smart_assistance.client import SmartAssistanceClient, SmartAssistanceError
from sources.smart_assistance.server import Faults, serve_store, serve_store_in_child

TOKEN = "test-token"
UNTIL = "2024-12-31T23:59:59+08:00"


def _store_keys(store: Path, table: str, key: str, since: str | None = None) -> list[str]:
    with sqlite3.connect(store) as conn:
        sql = f"SELECT {key} FROM {table} WHERE updated_at <= ?"
        params = [UNTIL]
        if since:
            sql += " AND updated_at > ?"
            params.append(since)
        rows = conn.execute(sql + f" ORDER BY updated_at, {key}", params).fetchall()
    return [r[0] for r in rows]


def _client(url: str, **kwargs: object) -> SmartAssistanceClient:
    options: dict = {"backoff_base": 0.01, "backoff_max": 0.05, **kwargs}
    return SmartAssistanceClient(url, TOKEN, **options)


def test_pages_cover_the_store_in_order(store_path: Path) -> None:
    since = "2024-11-01T00:00:00+08:00"
    expected = _store_keys(store_path, "assistance_cases", "case_id", since)
    assert len(expected) > 100
    with serve_store(store_path, TOKEN) as url, _client(url, page_size=37) as client:
        pages = list(client.fetch_window("assistance_cases", since, UNTIL))
    assert len(pages) == -(-len(expected) // 37)
    assert all(len(p) <= 37 for p in pages)
    got = [row["case_id"] for page in pages for row in page]
    assert got == expected
    stamps = [row["updated_at"] for page in pages for row in page]
    assert stamps == sorted(stamps) and min(stamps) > since


def test_resume_from_watermark_returns_only_newer_rows(store_path: Path) -> None:
    with serve_store(store_path, TOKEN) as url, _client(url, page_size=500) as client:
        first = [r for p in client.fetch_window("child_survey_submissions", None, UNTIL) for r in p]
        watermark = first[len(first) // 2]["updated_at"]
        older = [r for r in first if r["updated_at"] <= watermark]
        newer = [
            r for p in client.fetch_window("child_survey_submissions", watermark, UNTIL) for r in p
        ]
    assert newer and all(r["updated_at"] > watermark for r in newer)
    assert len(older) + len(newer) == len(first)
    assert {r["submission_id"] for r in newer}.isdisjoint(r["submission_id"] for r in older)


def test_timestamps_in_other_offsets_mean_the_same_instant(store_path: Path) -> None:
    with serve_store(store_path, TOKEN) as url, _client(url, page_size=1000) as client:
        local = sum(
            len(p)
            for p in client.fetch_window("assistance_cases", "2024-06-01T08:00:00+08:00", UNTIL)
        )
        utc = sum(
            len(p) for p in client.fetch_window("assistance_cases", "2024-06-01T00:00:00Z", UNTIL)
        )
    assert local == utc > 0


def test_retries_through_faults(store_path: Path) -> None:
    since = "2024-10-01T00:00:00+08:00"
    expected = _store_keys(store_path, "assistance_cases", "case_id", since)
    faults = Faults(rate_429=0.2, retry_after_s=0, rate_500=0.15, rate_truncated=0.15, seed=3)
    with (
        serve_store(store_path, TOKEN, faults=faults) as url,
        _client(url, page_size=25, max_retries=12) as client,
    ):
        got = [
            r["case_id"] for p in client.fetch_window("assistance_cases", since, UNTIL) for r in p
        ]
    assert got == expected


def test_gives_up_after_max_retries(store_path: Path) -> None:
    with (
        serve_store(store_path, TOKEN, faults=Faults(rate_500=1.0)) as url,
        _client(url, max_retries=2) as client,
        pytest.raises(SourceUnreachable, match=r"unreachable: .* after 2 retries"),
    ):
        list(client.fetch_window("assistance_cases", None, UNTIL))


def test_bad_token_is_401(store_path: Path) -> None:
    with serve_store(store_path, TOKEN) as url:
        response = httpx.get(
            f"{url}/api/v1/assistance_cases", headers={"Authorization": "Bearer nope"}
        )
        assert response.status_code == 401
        with (
            SmartAssistanceClient(url, "nope") as client,
            pytest.raises(SmartAssistanceError, match="401"),
        ):
            list(client.fetch_window("assistance_cases", None, UNTIL))


def test_answer_shape(store_path: Path) -> None:
    with serve_store(store_path, TOKEN) as url:
        response = httpx.get(
            f"{url}/api/v1/child_survey_submissions",
            params={"page": 2, "page_size": 10, "updated_until": UNTIL},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    body = response.json()
    assert set(body) == {"data", "page", "page_size", "total", "has_more"}
    assert body["page"] == 2 and body["page_size"] == 10 and len(body["data"]) == 10
    assert body["has_more"] is True
    assert body["data"][0]["updated_at"].endswith("+08:00")


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_an_api_on_a_closed_port_is_unreachable_within_its_budget() -> None:
    url = _closed_port()
    began = time.monotonic()
    with (
        SmartAssistanceClient(url, TOKEN, backoff_base=0.2, retry_budget_s=1.5) as client,
        pytest.raises(SourceUnreachable, match=r"source smart_assistance unreachable: .*Connect"),
    ):
        list(client.fetch_window("assistance_cases", None, UNTIL))
    assert time.monotonic() - began <= 1.5 + 0.5
    # The other entities of the same run fail at once, with the same reason.
    began = time.monotonic()
    with (
        SmartAssistanceClient(url, TOKEN, retry_budget_s=1.5) as client,
        pytest.raises(SourceUnreachable, match="found earlier in this run"),
    ):
        list(client.fetch_window("persons", None, UNTIL))
    assert time.monotonic() - began < 0.5


def test_the_api_in_a_process_of_its_own_serves_the_same_pages_and_ends_with_its_parent(
    store_path: Path,
) -> None:
    """`minzheng run` serves the simulated platform from a child process: the same pages as the
    in-thread server, and no server left behind when the run is killed outright."""
    with serve_store(store_path, TOKEN) as url, _client(url, page_size=500) as client:
        in_thread = list(client.fetch_window("assistance_cases", None, UNTIL))
    with serve_store_in_child(store_path, TOKEN) as url, _client(url, page_size=500) as client:
        in_child = list(client.fetch_window("assistance_cases", None, UNTIL))
    assert in_child == in_thread and in_child

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from sources.smart_assistance.server import serve_store_in_child\n"
            f"with serve_store_in_child({str(store_path)!r}, {TOKEN!r}) as url:\n"
            "    print(url, flush=True)\n"
            "    time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    url = parent.stdout.readline().strip()
    assert httpx.get(url, timeout=10).status_code == 401  # serving, and asking for the token
    parent.kill()
    parent.wait(timeout=10)
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=2)
        except httpx.TransportError:
            break  # the child saw its stdin close and shut down
        assert time.monotonic() < deadline, "the API outlived the process that started it"
        time.sleep(0.2)

"""The smart-assistance platform's HTTP JSON API, served from the simulator's store.

``python -m sources.smart_assistance.server --store PATH --port N`` (token from
``MINZHENG_SA_API_TOKEN``). Fault knobs inject latency, 429, 500 and truncated pages so the
extract client's retries are exercised.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import click

# Entity (the URL path) -> its key; records are paged in (updated_at, key) order.
ENTITY_KEYS = {
    "assistance_cases": "case_id",
    "child_survey_submissions": "submission_id",
    "persons": "person_id",
    "subsidy_payments": "payment_id",
    "monitoring_alerts": "alert_id",
    "project_services": "service_id",
    "children_in_difficulty": "child_id",
    "protection_stations": "station_id",
    "child_workers": "worker_id",
    "worker_trainings": "training_id",
}
MAX_PAGE_SIZE = 10_000
CHINA = timezone(timedelta(hours=8))


@dataclass
class Faults:
    """Fault injection; rates are per request."""

    latency_s: float = 0
    rate_429: float = 0.0
    retry_after_s: int = 1
    rate_500: float = 0.0
    rate_truncated: float = 0.0
    seed: int = 0


class BadRequest(ValueError):
    pass


def normalise_timestamp(value: str) -> str:
    """Any ISO-8601 timestamp in the store's form (+08:00), so text order is time order."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"not an ISO-8601 timestamp: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CHINA)
    return parsed.astimezone(CHINA).replace(microsecond=0).isoformat()


# Paging millions of rows with OFFSET re-scans the window for every page. A window is stable while
# it is paged, so the server remembers where each page ended (and the window's total) and serves
# the next page from there (keyset paging); a page asked for out of order still works via OFFSET.
_CURSORS: OrderedDict[tuple[Any, ...], tuple[str, str]] = OrderedDict()
_TOTALS: OrderedDict[tuple[Any, ...], int] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4096


def _remember(cache: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    with _CACHE_LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)


def query_page(
    store_path: Path,
    entity: str,
    updated_since: str | None,
    updated_until: str | None,
    page: int,
    page_size: int,
) -> dict[str, Any]:
    key = ENTITY_KEYS[entity]
    where: list[str] = []
    params: list[Any] = []
    if updated_since:
        where.append("updated_at > ?")
        params.append(normalise_timestamp(updated_since))
    if updated_until:
        where.append("updated_at <= ?")
        params.append(normalise_timestamp(updated_until))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    stat = store_path.stat()
    window = (str(store_path), stat.st_mtime_ns, stat.st_size, entity, *params)
    with _CACHE_LOCK:
        total = _TOTALS.get(window)
        cursor = _CURSORS.get((*window, page_size, page - 1)) if page > 1 else None
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        if total is None:
            total = conn.execute(f'SELECT COUNT(*) FROM "{entity}" {clause}', params).fetchone()[0]
            _remember(_TOTALS, window, total)
        if cursor is not None:
            # A row value, not an OR of two comparisons: SQLite then seeks the (updated_at, key)
            # index to the cursor instead of sorting every later row for each page.
            after = f'(updated_at, "{key}") > (?, ?)'
            keyset = f"{clause} AND {after}" if clause else f"WHERE {after}"
            rows = conn.execute(
                f'SELECT * FROM "{entity}" {keyset} ORDER BY updated_at, "{key}" LIMIT ?',
                [*params, cursor[0], cursor[1], page_size],
            ).fetchall()
        else:
            rows = conn.execute(
                f'SELECT * FROM "{entity}" {clause} ORDER BY updated_at, "{key}" LIMIT ? OFFSET ?',
                [*params, page_size, (page - 1) * page_size],
            ).fetchall()
    finally:
        conn.close()
    if rows:
        _remember(_CURSORS, (*window, page_size, page), (rows[-1]["updated_at"], rows[-1][key]))
    return {
        "data": [dict(r) for r in rows],
        "page": page,
        "page_size": page_size,
        "total": total,
        "has_more": page * page_size < total,
    }


def make_handler(store_path: Path, token: str, faults: Faults) -> type[BaseHTTPRequestHandler]:
    rng = random.Random(faults.seed)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests run thousands of requests

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps({"error": message}).encode(), headers)

        def do_GET(self) -> None:
            if faults.latency_s:
                time.sleep(faults.latency_s)
            if self.headers.get("Authorization", "") != f"Bearer {token}":
                self._error(401, "invalid or missing bearer token")
                return
            url = urlparse(self.path)
            parts = url.path.strip("/").split("/")
            if len(parts) != 3 or parts[:2] != ["api", "v1"] or parts[2] not in ENTITY_KEYS:
                self._error(404, f"no such resource: {url.path}")
                return
            with lock:
                draw = rng.random()
            if draw < faults.rate_429:
                self._error(429, "too many requests", {"Retry-After": str(faults.retry_after_s)})
                return
            draw -= faults.rate_429
            if draw < faults.rate_500:
                self._error(500, "internal error")
                return
            draw -= faults.rate_500
            truncate = draw < faults.rate_truncated
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            try:
                page = int(query.get("page", "1"))
                page_size = int(query.get("page_size", "1000"))
                if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
                    raise BadRequest(f"page >= 1 and 1 <= page_size <= {MAX_PAGE_SIZE}")
                answer = query_page(
                    store_path,
                    parts[2],
                    query.get("updated_since"),
                    query.get("updated_until"),
                    page,
                    page_size,
                )
            except (BadRequest, ValueError) as exc:
                self._error(400, str(exc))
                return
            body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            if truncate:
                # The length header still claims the whole body, as a dropped connection would.
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body) // 2))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                return
            self._send(200, body)

    return Handler


@contextmanager
def serve_store(
    store_path: Path | str,
    token: str,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
) -> Iterator[str]:
    """Serve the store in a background thread; yields the base URL, shuts down on exit."""
    handler = make_handler(Path(store_path), token, faults or Faults())
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sa-api", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_store_in_child(
    store_path: Path | str, token: str, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Serve the store from a process of its own, as the real platform is another machine: its
    JSON work runs beside the extract, not under the same GIL. Yields the base URL. The child
    lives as long as this process: it stops when its stdin closes, however this one ends."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "sources.smart_assistance.server"),
            *("--store", str(store_path), "--host", host, "--port", "0", "--until-stdin-closes"),
        ],
        env={**os.environ, "MINZHENG_SA_API_TOKEN": token},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        said = process.stdout.readline()
        if " at http://" not in said:
            raise RuntimeError(f"the simulated API did not start (exit code {process.wait()})")
        yield said.rsplit(" at ", 1)[1].strip()
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@click.command()
@click.option("--store", "store_path", type=click.Path(exists=True, path_type=Path), required=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8701, show_default=True, type=int)
@click.option(
    "--until-stdin-closes",
    is_flag=True,
    help="Serve until stdin closes, deaf to SIGINT and SIGTERM (a run stopping gracefully still "
    "extracts the step in progress): the parent's end is the server's end.",
)
def main(store_path: Path, host: str, port: int, until_stdin_closes: bool) -> None:
    """Serve the smart-assistance API from STORE until interrupted."""
    token = os.environ.get("MINZHENG_SA_API_TOKEN", "")
    if not token:
        raise click.UsageError("set MINZHENG_SA_API_TOKEN")
    server = ThreadingHTTPServer((host, port), make_handler(store_path, token, Faults()))
    server.daemon_threads = True
    if until_stdin_closes:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        threading.Thread(target=_shut_down_at_eof, args=(server,), daemon=True).start()
    click.echo(f"serving {store_path} at http://{host}:{server.server_address[1]}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _shut_down_at_eof(server: ThreadingHTTPServer) -> None:
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()

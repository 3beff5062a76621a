"""Open every dashboard in headless Chromium, screenshot it, and report chart errors.

python -m minzheng_superset.screenshots --url URL --user U --password P --out DIR
Prints one JSON object: {dashboards: [{slug, title, charts, errors, seconds, screenshot}]}.
Uses the system Chromium (never `playwright install`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ERROR_TEXT = re.compile(r"错误|出错|异常|Error|Unexpected|Traceback|failed", re.IGNORECASE)
HOLDER = '[data-test="dashboard-component-chart-holder"]'


def chromium_path() -> str:
    for candidate in (
        os.environ.get("MINZHENG_CHROMIUM", ""),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("no Chromium found: apt-get install -y chromium fonts-noto-cjk")


def login(page: Page, url: str, user: str, password: str) -> None:
    page.goto(f"{url}/login/", wait_until="domcontentloaded")
    page.fill('input[name="username"], #username', user)
    page.fill('input[name="password"], #password', password)
    page.press('input[name="password"], #password', "Enter")
    page.wait_for_url(lambda u: "/login" not in u, timeout=30_000)


def dashboards(page: Page, url: str) -> list[dict[str, Any]]:
    response = page.request.get(f"{url}/api/v1/dashboard/?q=(page_size:100)")
    assert response.ok, response.text()
    return [
        {"id": d["id"], "slug": d["slug"] or str(d["id"]), "title": d["dashboard_title"]}
        for d in response.json()["result"]
    ]


def check_dashboard(page: Page, url: str, board: dict[str, Any], out: Path) -> dict[str, Any]:
    failures: list[str] = []

    def on_response(response: Any) -> None:
        if "/api/v1/chart/data" in response.url and response.status >= 400:
            failures.append(f"chart data HTTP {response.status}: {response.text()[:300]}")

    page.on("response", on_response)
    started = time.monotonic()
    page.goto(f"{url}/superset/dashboard/{board['slug']}/", wait_until="domcontentloaded")
    page.wait_for_selector(HOLDER, timeout=60_000)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        loading = page.locator(f'{HOLDER} [data-test="loading-indicator"], {HOLDER} .loading')
        if loading.count() == 0:
            break
        page.wait_for_timeout(500)
    else:
        failures.append("charts still loading after 90 s")
    page.wait_for_timeout(1500)  # let ECharts finish drawing
    seconds = time.monotonic() - started
    holders = page.locator(HOLDER)
    for i in range(holders.count()):
        holder = holders.nth(i)
        alerts = holder.locator(".ant-alert-error, .ant-alert-warning, [role=alert]")
        if alerts.count():
            failures.append(f"chart {i}: {alerts.first.inner_text()[:300]}")
            continue
        header = holder.locator('[data-test="editable-title"], .header-title').first
        text = holder.inner_text()
        title = header.inner_text() if header.count() else ""
        body = text.replace(title, "")
        if ERROR_TEXT.search(body) and "错误" not in title:
            failures.append(f"chart {i} ({title}): {body[:300]}")
    shot = out / f"{board['slug']}.png"
    page.screenshot(path=str(shot), full_page=True)
    page.remove_listener("response", on_response)
    return {
        **board,
        "charts": holders.count(),
        "errors": failures,
        "seconds": round(seconds, 1),
        "screenshot": str(shot),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        context = browser.new_context(
            viewport={"width": 1600, "height": 2400}, locale="zh-CN", device_scale_factor=1
        )
        page = context.new_page()
        login(page, args.url, args.user, args.password)
        results = [check_dashboard(page, args.url, b, args.out) for b in dashboards(page, args.url)]
        browser.close()
    json.dump({"dashboards": results}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

"""Open every dashboard in headless Chromium as each given person, screenshot it, report problems.

python -m minzheng_superset.screenshots --url URL --out DIR --slugs a,b --as NAME:USER:PASSWORD ...
Prints one JSON object: {people: {NAME: [{slug, charts, errors, seconds, screenshot, text}]}}.

A dashboard is read when every chart holder has drawn (canvas, svg, table or markdown) or shows an
empty or error state, and no loading indicator is left: a chart still loading after 60 s is an
error. Then each chart is checked for errors and empty results, and the whole page for English
interface text. A person without a data role must get the Chinese no-access page. Uses the system
Chromium (never `playwright install`).
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

from playwright.sync_api import Error as PlaywrightError
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
LOAD_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1600, "height": 1200}
HOLDER = '[data-test="dashboard-component-chart-holder"]'
LOADING = '[data-test="loading-indicator"], .loading'
ERROR_TEXT = re.compile(r"错误|出错|异常|Error|Unexpected|Traceback|failed", re.IGNORECASE)
EMPTY_TEXT = re.compile(r"此查询没有数据返回|没有数据|无结果|没有记录|No results|No data")
# Superset's own interface texts that show when the language pack is missing or incomplete.
ENGLISH_UI = re.compile(
    r"\b(Settings|Search|records?|entries|per page|No results|No data|Loading|Error|Dashboards|"
    r"Charts|Datasets|Logout|Log out|Profile|Home|Show|Download|Refresh|Filters?|Edit|"
    r"Apply|Clear|There was an issue|fetching|object Response|Unexpected|Access is Denied)\b"
)
NO_ACCESS = '[data-test="minzheng-no-access"]'
USERNAME_FIELD = 'input[name="username"], #username'
PASSWORD_FIELD = 'input[name="password"], #password'
HOME_DRAWN = """() => document.querySelector('#app') && document.body.innerText.trim()
  && !document.querySelector('.ant-skeleton, .ant-skeleton-element, [data-test="loading-indicator"]')"""
# Every chart has drawn, or says it is empty or failed, and nothing is loading (a holder without a
# slice header is a markdown block).
DRAWN = """([holder, loading]) => {
  const holders = [...document.querySelectorAll(holder)];
  if (!holders.length || document.querySelector(loading)) return false;
  return holders.every(h => h.querySelector('[data-test="slice-header"]') === null
    ? h.innerText.trim().length > 0
    : h.querySelector('canvas, svg, table, [data-test="empty-state"], .ant-empty, '
      + '.ant-alert, [role=alert], .error-message'));
}"""
CHART = '[data-test="dashboard-component-chart-holder"]:has([data-test="slice-header"])'


def chromium_path() -> str:
    for candidate in (
        os.environ.get("MINZHENG_CHROMIUM", ""),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("no Chromium found: make superset-browser (apt: chromium fonts-noto-cjk)")


def login(page: Page, url: str, user: str, password: str) -> None:
    """Sign in, again (three tries) while Superset still takes the browser for anonymous: on a
    loaded machine a first sign-in after the server starts has been refused or left hanging. Fails
    plainly rather than time out on every dashboard."""
    for _ in range(3):
        page.goto(f"{url}/login/", wait_until="domcontentloaded")
        page.fill(USERNAME_FIELD, user)
        page.fill(PASSWORD_FIELD, password)
        page.press(PASSWORD_FIELD, "Enter")
        try:
            page.wait_for_url(lambda u: "/login" not in u, timeout=30_000)
        except PlaywrightError:
            continue
        # 401 only when anonymous; a user without a data role may not read /me (403).
        if page.request.get(f"{url}/api/v1/me/").status != 401:
            return
    raise SystemExit(f"{user} could not sign in")


def english_ui(text: str) -> list[str]:
    return sorted(set(ENGLISH_UI.findall(text)))


def check_dashboard(page: Page, url: str, slug: str, shot: Path) -> dict[str, Any]:
    failures: list[str] = []

    def on_response(response: Any) -> None:
        if "/api/v1/chart/data" in response.url and response.status >= 400:
            failures.append(f"chart data HTTP {response.status}")

    page.on("response", on_response)
    started = time.monotonic()
    response = page.goto(f"{url}/superset/dashboard/{slug}/", wait_until="domcontentloaded")
    charts = 0
    if page.locator(NO_ACCESS).count():
        status = response.status if response else 0
        return _finish(page, on_response, slug, shot, started, failures, 0, status)
    try:
        page.wait_for_function(DRAWN, arg=[HOLDER, LOADING], timeout=LOAD_TIMEOUT_MS)
    except PlaywrightError:
        loading = page.locator(f"{HOLDER}:has({LOADING.split(',')[0]})").count()
        failures.append(f"not drawn after {LOAD_TIMEOUT_MS // 1000} s ({loading} charts loading)")
    holders = page.locator(CHART)
    charts = holders.count()
    for i in range(charts):
        holder = holders.nth(i)
        header = holder.locator('[data-test="editable-title"], .header-title').first
        title = header.inner_text() if header.count() else f"chart {i}"
        body = holder.inner_text().replace(title, "")
        alerts = holder.locator(".ant-alert-error, .ant-alert-warning, [role=alert]")
        if alerts.count():
            failures.append(f"{title}: alert {alerts.first.inner_text()[:200]}")
        elif ERROR_TEXT.search(body):
            failures.append(f"{title}: error text {body[:200]}")
        if holder.locator('[data-test="empty-state"], .ant-empty').count() or EMPTY_TEXT.search(
            body
        ):
            failures.append(f"{title}: empty chart")
    _whole_page_drawn(page, failures)
    return _finish(page, on_response, slug, shot, started, failures, charts, 200)


def _whole_page_drawn(page: Page, failures: list[str]) -> None:
    """Open the window to the page's whole height and wait until every chart has drawn again:
    a full-page screenshot resizes the window, and the dashboard redraws its charts on a resize
    (the picture was taken blank before they had)."""
    viewport = page.viewport_size or {"width": 1600, "height": 1200}
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    if height <= viewport["height"]:
        return
    page.set_viewport_size({"width": viewport["width"], "height": height})
    try:
        page.wait_for_function(DRAWN, arg=[HOLDER, LOADING], timeout=LOAD_TIMEOUT_MS)
    except PlaywrightError:
        failures.append("not drawn again at the page's whole height")


def _finish(
    page: Page,
    on_response: Any,
    slug: str,
    shot: Path,
    started: float,
    failures: list[str],
    charts: int,
    status: int,
) -> dict[str, Any]:
    seconds = time.monotonic() - started
    text = page.locator("body").inner_text()
    english = english_ui(text)
    if english:
        failures.append(f"English interface text: {', '.join(english)}")
    if page.get_by_text("[object Response]").count():
        failures.append("[object Response] on the page")
    page.screenshot(path=str(shot), full_page=True)
    page.set_viewport_size(VIEWPORT)
    page.remove_listener("response", on_response)
    return {
        "slug": slug,
        "charts": charts,
        "status": status,
        "no_access_page": page.locator(NO_ACCESS).count() > 0,
        "errors": failures,
        "seconds": round(seconds, 1),
        "screenshot": str(shot),
        "text": text[:4000],
    }


def check_home(page: Page, url: str, shot: Path) -> dict[str, Any]:
    """The page a person lands on after signing in."""
    failures: list[str] = []
    started = time.monotonic()
    page.goto(f"{url}/superset/welcome/", wait_until="domcontentloaded")
    if not page.locator(NO_ACCESS).count():
        try:  # the lists of dashboards and charts are placeholders until they arrive
            page.wait_for_function(HOME_DRAWN, timeout=LOAD_TIMEOUT_MS)
        except PlaywrightError:
            failures.append(f"home page not drawn after {LOAD_TIMEOUT_MS // 1000} s")
    return _finish(page, lambda _: None, "welcome", shot, started, failures, 0, 200)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--slugs", required=True, help="comma-separated dashboard slugs")
    parser.add_argument(
        "--as", dest="people", action="append", required=True, help="NAME:USER:PASSWORD"
    )
    args = parser.parse_args()
    slugs = [s for s in args.slugs.split(",") if s]
    results: dict[str, list[dict[str, Any]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for person in args.people:
            name, user, password = person.split(":", 2)
            out = args.out / name
            out.mkdir(parents=True, exist_ok=True)
            context = browser.new_context(
                viewport=VIEWPORT, locale="zh-CN", device_scale_factor=1
            )
            page = context.new_page()
            login(page, args.url, user, password)
            pages = [check_home(page, args.url, out / "welcome.png")]
            pages += [check_dashboard(page, args.url, s, out / f"{s}.png") for s in slugs]
            results[name] = pages
            context.close()
        browser.close()
    json.dump({"people": results}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

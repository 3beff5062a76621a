"""Extract client for the smart-assistance platform's paged JSON API."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from typing import Any

import httpx

from sources.common.reach import RETRY_BUDGET_S, mark_down, mark_up, refuse_if_down

SOURCE = "smart_assistance"


class SmartAssistanceError(RuntimeError):
    """The API could not deliver a window (a refusal that another attempt would not change)."""


class SmartAssistanceClient:
    """Reads an entity's window ``(updated_since, updated_until]`` page by page."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        page_size: int = 1000,
        timeout: float = 30.0,
        max_retries: int = 6,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        retry_budget_s: float = RETRY_BUDGET_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry_budget_s = retry_budget_s
        self.page_size = page_size
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._http = httpx.Client(
            # No single attempt may outlast the budget.
            timeout=min(timeout, retry_budget_s),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )
        self._jitter = random.Random()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SmartAssistanceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * 2**attempt)
        return self._jitter.uniform(ceiling / 2, ceiling)  # jitter spreads concurrent retries

    def _get_page(self, entity: str, params: dict[str, Any]) -> dict[str, Any]:
        """One page; transient faults retried until max_retries or the budget runs out."""
        refuse_if_down(SOURCE, self.base_url)
        url = f"{self.base_url}/api/v1/{entity}"
        last_problem = ""
        began = time.monotonic()
        attempts = 0
        for attempt in range(self.max_retries + 1):
            attempts = attempt
            wait = self._backoff(attempt)
            try:
                response = self._http.get(url, params=params)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status == 200:
                    try:
                        body = json.loads(response.content)
                        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                            raise ValueError("no data list")
                        mark_up(self.base_url)
                        return body
                    except ValueError as exc:  # truncated or not JSON: ask again
                        last_problem = f"invalid JSON page ({exc})"
                elif status == 429:
                    last_problem = "429 Too Many Requests"
                    retry_after = response.headers.get("Retry-After", "")
                    if retry_after.replace(".", "", 1).isdigit():
                        wait = min(self.backoff_max, max(wait, float(retry_after)))
                elif status >= 500:
                    last_problem = f"{status} server error"
                elif status == 401:
                    raise SmartAssistanceError(f"401 Unauthorized for {url}: check the API token")
                else:
                    raise SmartAssistanceError(
                        f"{status} for {response.url}: {response.text[:200]}"
                    )
            spent = time.monotonic() - began
            if attempt == self.max_retries or spent + wait > self.retry_budget_s:
                break
            time.sleep(wait)
        raise mark_down(
            SOURCE,
            self.base_url,
            f"{self.base_url}: {entity} page {params.get('page')} failed after {attempts} retries "
            f"in {time.monotonic() - began:.1f} s (budget {self.retry_budget_s:.0f} s): "
            f"{last_problem}",
            self.retry_budget_s,
        )

    def fetch_window(
        self, entity: str, updated_since: str | None, updated_until: str
    ) -> Iterator[list[dict[str, Any]]]:
        """Yield pages of records with ``updated_since < updated_at <= updated_until``.

        Raises SmartAssistanceError if the rows received do not add up to the reported total.
        """
        params: dict[str, Any] = {"updated_until": updated_until, "page_size": self.page_size}
        if updated_since:
            params["updated_since"] = updated_since
        page, received, total = 1, 0, None
        while True:
            body = self._get_page(entity, {**params, "page": page})
            rows = body["data"]
            if total is None:
                total = int(body["total"])
            elif int(body["total"]) != total:
                raise SmartAssistanceError(
                    f"{entity}: total changed from {total} to {body['total']} while paging"
                )
            received += len(rows)
            if rows:
                yield rows
            if not body.get("has_more") or not rows:
                break
            page += 1
        if received != total:
            raise SmartAssistanceError(
                f"{entity}: received {received} rows, the API reported {total}"
            )

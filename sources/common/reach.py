"""Reaching a source system: transient faults are retried within a stated budget, once.

The clients hold the only retry layer (Dagster does not retry extract steps): a fault that
another attempt may cure (connection refused, a timeout, 429, 5xx) is retried with backoff until
the budget is spent, then the source is reported as ``source X unreachable: reason``. A source
found unreachable stays so for the same budget in this process, so that its other entities fail
at once instead of each spending the budget again (remembered per address, not per name).
"""

from __future__ import annotations

import time

# Seconds a source may take to answer again before a run gives up on it.
RETRY_BUDGET_S = 120.0

_down: dict[str, tuple[float, str]] = {}


class SourceUnreachable(RuntimeError):
    """A source system did not answer within the retry budget (or cannot be reached at all)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"source {source} unreachable: {reason}")
        self.source = source
        self.reason = reason


def mark_down(source: str, address: str, reason: str, budget_s: float) -> SourceUnreachable:
    _down[address] = (time.monotonic() + budget_s, reason)
    return SourceUnreachable(source, reason)


def refuse_if_down(source: str, address: str) -> None:
    """Fail at once when the source was found unreachable within the last budget."""
    until, reason = _down.get(address, (0.0, ""))
    if time.monotonic() < until:
        raise SourceUnreachable(source, f"{reason} (found earlier in this run)")
    _down.pop(address, None)


def mark_up(address: str) -> None:
    _down.pop(address, None)

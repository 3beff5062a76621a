"""Stopping a run between steps: SIGINT or SIGTERM asks, and the next step to start refuses.

`minzheng run` executes its jobs on a worker thread, so Dagster leaves the process's signals alone
(on the main thread it installs handlers that interrupt the step in progress). The main thread
records the request here; each step of the project asks before it starts. The step in progress
finishes, so nothing is left half-written, and no later step (publish above all) runs.
"""

from __future__ import annotations

import threading

_requested: list[str] = []
_lock = threading.Lock()


# How a step that a stop request kept from starting fails.
NOT_STARTED = "not started: the run was stopped"


class RunStopped(Exception):
    """The run was asked to stop before this step started."""


def request_stop(cause: str) -> None:
    with _lock:
        if not _requested:
            _requested.append(cause)


def stop_requested() -> str | None:
    """What asked the run to stop (e.g. SIGTERM), or None."""
    with _lock:
        return _requested[0] if _requested else None


def clear() -> None:
    with _lock:
        _requested.clear()


def refuse_if_stopping() -> None:
    cause = stop_requested()
    if cause is not None:
        raise RunStopped(f"{NOT_STARTED} ({cause}) before this step")

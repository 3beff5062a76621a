"""Measuring one process of the bench: wall time, peak memory of its process tree, its first error.

A figure is a dict: seconds and MiB, a value, or ``not_measured`` with the reason the table shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from minzheng import settings

# Resident memory of a run's process tree is read this often (seconds).
SAMPLE_SECONDS = 0.25


Figure = dict[str, Any]


class StageFailed(RuntimeError):
    pass


def missing(reason: str) -> Figure:
    """A figure that could not be measured, with the reason the table shows."""
    return {"not_measured": reason}


def is_missing(figure: Any) -> bool:
    return figure is None or (isinstance(figure, dict) and "not_measured" in figure)


def measure(
    argv: list[str],
    env: dict[str, str],
    log: Path,
    name: str,
    samples: list[tuple[float, float]] | None = None,
) -> Figure:
    """Run one process: its wall time and the peak resident memory of its process tree.

    The tree's memory is the sum over every process in it, read every SAMPLE_SECONDS (into
    ``samples`` as (epoch seconds, MiB) when given, so that the peak of each step inside can be
    found); wait4's peak of the largest single process covers what falls between two readings.
    """
    samples = [] if samples is None else samples
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n=== {name}: {' '.join(argv)}\n")
        handle.flush()
        offset = handle.tell()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, env=env, stdout=handle, stderr=handle, cwd=settings.PROJECT_ROOT
        )
        sampler = threading.Thread(
            target=_sample_tree, args=(process, samples), name="bench-rss", daemon=True
        )
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.join()
    if process.returncode != 0:
        raise StageFailed(f"{name} failed (exit {process.returncode}: {first_error(log, offset)})")
    peak = max([usage.ru_maxrss / 1024, *(mib for _, mib in samples)])
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1)}


def _sample_tree(process: subprocess.Popen[bytes], samples: list[tuple[float, float]]) -> None:
    page_mib = os.sysconf("SC_PAGE_SIZE") / 2**20
    while process.returncode is None:
        samples.append((time.time(), tree_rss_pages(process.pid) * page_mib))
        time.sleep(SAMPLE_SECONDS)


def tree_rss_pages(pid: int) -> int:
    """Resident pages of a process and all its descendants (0 for those already gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        proc = Path("/proc") / str(current)
        try:
            total += int((proc / "statm").read_text().split()[1])
            for task in (proc / "task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


_ERROR = re.compile(r"^(?:[\w.]+(?:Error|Exception)|Error|ERROR)\b.*")


def first_error(log: Path, offset: int) -> str:
    """The error a process wrote to the log after offset: the first after a failed Dagster step,
    else the first at all (else where to look)."""
    with log.open(encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        lines = handle.read().splitlines()
    failed_step = next((i for i, line in enumerate(lines) if "STEP_FAILURE" in line), 0)
    for line in [*lines[failed_step:], *lines[:failed_step]]:
        found = _ERROR.match(line.strip())
        if found:
            return found[0][:240]
    return f"see {shown(log)}"


def ratio(numerator: Figure, denominator: Figure, names: tuple[str, str], digits: int) -> Figure:
    """numerator ÷ denominator seconds, or which of the two is missing."""
    absent = [
        name for name, f in zip(names, (numerator, denominator), strict=True) if is_missing(f)
    ]
    if absent:
        return missing(" and ".join(absent) + " not measured")
    return {"value": round(numerator["seconds"] / max(denominator["seconds"], 1e-9), digits)}


def peak_during(samples: list[tuple[float, float]], spans: list[tuple[float, float]]) -> Figure:
    inside = [mib for at, mib in samples if any(start <= at <= end for start, end in spans)]
    return {"peak_rss_mb": round(max(inside), 1)} if inside else {}


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(settings.PROJECT_ROOT))
    except ValueError:
        return str(path)

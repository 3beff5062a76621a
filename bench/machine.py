"""The facts of the machine a bench result was measured on (cores, memory, versions, settings)."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Any

from minzheng import settings


def memory_mib() -> int:
    found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return int(found[1]) // 1024 if found else 0


def machine() -> dict[str, Any]:
    import dagster
    import dbt.version
    import duckdb

    from bench.postgres import find_bindir
    from bench.superset import SUPERSET_PYTHON

    with duckdb.connect(config={"memory_limit": settings.duckdb_memory_limit()}) as connection:
        defaults = connection.execute(
            "select current_setting('threads'), current_setting('memory_limit')"
        ).fetchone()
    profile = (settings.DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    dbt_threads = re.search(r"threads:\s*(\d+)", profile)
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_mib() / 1024, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": dbt.version.__version__,
        "dagster": dagster.__version__,
        "postgres": _output(
            [str((find_bindir() or Path("/nonexistent")) / "postgres"), "-V"]
        ).removeprefix("postgres (PostgreSQL) "),
        "superset": _output(
            [
                str(SUPERSET_PYTHON),
                "-c",
                "from importlib.metadata import version; print(version('apache-superset'))",
            ]
        ),
        "pipeline_duckdb_settings": {
            "source": (
                f"memory_limit {settings.duckdb_memory_limit()!r} of the machine "
                "(settings.duckdb_memory_limit(), on the warehouse build and publish), "
                "threads and temp_directory DuckDB's defaults"
            ),
            "threads": defaults[0] if defaults else None,
            "memory_limit": defaults[1] if defaults else None,
            "temp_directory": "<database>.tmp beside each database file",
            "dbt_threads": int(dbt_threads[1]) if dbt_threads else None,
        },
    }


def _output(argv: list[str]) -> str:
    """What a version command prints, or "not installed"."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    return done.stdout.strip()

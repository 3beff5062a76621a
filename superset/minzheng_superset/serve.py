"""Superset under gunicorn, in the foreground (make serve runs it beside Dagster)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from minzheng_superset import env


def command(host: str, port: int, workers: int) -> list[str]:
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--timeout",
        "120",
        "--limit-request-line",
        "0",
        "--limit-request-field_size",
        "0",
        "superset.app:create_app()",
    ]


def serve(host: str, port: int, workers: int) -> None:
    child_env = env.process_env()
    argv = command(host, port, workers)
    os.execve(argv[0], argv, child_env)

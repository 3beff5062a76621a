"""Running dbt on a hand-made raw zone in a temporary MINZHENG_DATA_DIR."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
TEST_PII_KEY = "warehouse-test-key-3f9c1d"
DATA_AS_OF = "{data_as_of: '2024-12-31'}"


@dataclass(frozen=True)
class Build:
    data_dir: Path
    target_dir: Path
    log_dir: Path
    seconds: float

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"


def dbt_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "MINZHENG_DATA_DIR": str(data_dir),
        "MINZHENG_PII_KEY": TEST_PII_KEY,
        "MINZHENG_ENV": "dev",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **extra,
    }


def run_dbt(
    args: list[str],
    data_dir: Path,
    *,
    target_dir: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 1800,  # a build on a shared 2-core machine can take several minutes
    executable: Path = DBT,
) -> subprocess.CompletedProcess[str]:
    """dbt <args> on the project, with its target and logs kept in the data dir; asserts success."""
    target_dir = target_dir or data_dir / "dbt_target"
    command = [
        str(executable),
        *args,
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(data_dir / "dbt_logs"),
    ]
    result = subprocess.run(
        command,
        cwd=REPO,
        env=env or dbt_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result

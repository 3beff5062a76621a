"""Session fixtures shared across test folders, and the test lanes.

`published` is the pipeline run once per session (simulate at scale 0.01, then `minzheng run`):
the e2e and Superset tests read it and never change it; a test that changes data works on its own
copy (`published_copy`). The lanes: `make test-fast` runs everything not marked `slow` (hand-made
fixtures, no simulation of a city-year, no pipeline run, no Superset or PostgreSQL); `make test`
runs all of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

MINZHENG = str(Path(sys.executable).with_name("minzheng"))
DATA_AS_OF = "2024-12-31"
# Folders whose every test is slow: the pipeline run, the Superset server, the benchmark.
SLOW_FOLDERS = {"e2e", "superset", "bench"}
# Fixtures that simulate the source systems or run the pipeline: a test using one is slow.
SLOW_FIXTURES = {"simulated", "store_path", "published", "published_copy", "superset_server"}
# The first test to ask for the published pipeline pays for simulating and running it (about
# 5 minutes alone on 2 cores, several times that on a shared machine).
PUBLISHED_TIMEOUT = 7200


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        folder = Path(str(item.path)).relative_to(tests).parts[0]
        fixtures = set(getattr(item, "fixturenames", ()))
        if folder in SLOW_FOLDERS or SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        if fixtures & {"published", "published_copy", "superset_server"}:
            item.add_marker(pytest.mark.timeout(PUBLISHED_TIMEOUT))


def pipeline_env(data: Path) -> dict[str, str]:
    """The environment of a `minzheng` command on the data folder `data`."""
    env = {
        **os.environ,
        "MINZHENG_DATA_DIR": str(data),
        "DAGSTER_HOME": str(data / ".dagster"),
        "MINZHENG_DATA_AS_OF": DATA_AS_OF,
    }
    env.pop("MINZHENG_SA_API_URL", None)
    return env


def minzheng(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MINZHENG, *args], env=env, capture_output=True, text=True, timeout=3600, check=False
    )


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of one simulated city-year at scale 0.01 after one `minzheng run`.

    Read it, never write it: copy it with `published_copy` to change anything."""
    data = tmp_path_factory.mktemp("published") / "data"
    env = pipeline_env(data)
    simulated = minzheng(env, "simulate", "--scale", "0.01", "--reset", "--no-progress")
    assert simulated.returncode == 0, simulated.stdout[-3000:] + simulated.stderr[-3000:]
    ran = minzheng(env, "run")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "succeeded" in ran.stdout
    return data


@pytest.fixture
def published_copy(published: Path, tmp_path: Path) -> Callable[[], dict[str, str]]:
    """A private copy of the published data folder, as the environment to run `minzheng` on."""

    def copy() -> dict[str, str]:
        data = tmp_path / "data"
        shutil.copytree(published, data, symlinks=True)
        return pipeline_env(data)

    return copy

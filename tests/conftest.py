"""Session fixtures shared across test folders, the test lanes, and the workers' groups.

`published` is the pipeline run once per session (simulate at scale 0.01, then `minzheng run`):
the e2e and Superset tests read it and never change it; a test that changes data works on its own
copy (`published_copy`). The lanes: `make test-fast` runs everything not marked `slow` (hand-made
fixtures, no simulation of a city-year, no pipeline run, no Superset, Spark or PostgreSQL);
`make test` runs all of it.

Both lanes run on pytest-xdist workers (`--dist loadgroup`, PYTEST_WORKERS in the Makefile).
Tests that share a fixture of a folder's conftest or of their module are one group, on one
worker, so that the fixture (the Superset server, the warehouse build) is made once and its tests
keep their order; the scenarios on copies of the published run are one group too; any other
test goes to whichever worker is free, the long ones first. The one pipeline run is shared by the
workers through a file lock: the first to need it makes it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

MINZHENG = str(Path(sys.executable).with_name("minzheng"))
DATA_AS_OF = "2024-12-31"
# Folders whose every test is slow: the pipeline run, the Superset server, the benchmark.
SLOW_FOLDERS = {"e2e", "superset", "bench"}
# Fixtures that simulate the source systems, run the pipeline or start Superset or Spark: a test
# using one is slow.
SLOW_FIXTURES = {
    "simulated",
    "store_path",
    "published",
    "published_copy",
    "superset_server",
    "spark_build",
}
# The folders whose tests the workers take first, after the scenarios on copies of the published
# run (rank 0); other slow tests come next (3), the quick ones last (4).
FOLDER_RANKS = {"warehouse": 1, "superset": 2}
# Fixture scopes, narrowest first: a test's worker group is the home of its broadest one.
SCOPES = ("class", "module", "package", "session")
# The first test to ask for the published pipeline pays for simulating and running it (about
# 5 minutes alone on 2 cores, several times that on a shared machine).
PUBLISHED_TIMEOUT = 7200


# First: xdist reads the groups off the items in its own hook of the same name.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    groups: dict[str, str] = {}
    ranks: dict[str, int] = {}
    for item in items:
        folder = Path(str(item.path)).relative_to(tests).parts[0]
        fixtures = set(getattr(item, "fixturenames", ()))
        slow = folder in SLOW_FOLDERS or bool(SLOW_FIXTURES & fixtures)
        if slow:
            item.add_marker(pytest.mark.slow)
        if fixtures & {"published", "published_copy", "superset_server"}:
            item.add_marker(pytest.mark.timeout(PUBLISHED_TIMEOUT))
        # The scenarios on copies of the published run go to one worker, which makes that run
        # for them while the other worker builds the warehouse folder (it needs no pipeline).
        copy = "published_copy" in fixtures
        group = "published copies" if copy else _worker_group(item)
        if group is not None:
            groups[item.nodeid] = group
            item.add_marker(pytest.mark.xdist_group(group))
        # The long units first, the short ones fill in at the end.
        ranks[item.nodeid] = 0 if copy else FOLDER_RANKS.get(folder, 3 if slow else 4)
    if config.getoption("loadgroup", default=False):
        _in_rank_order(items, groups, ranks)


def _in_rank_order(items: list[pytest.Item], groups: dict[str, str], ranks: dict[str, int]) -> None:
    """Sort the tests by rank, a group by its best (xdist runs with --no-loadscope-reorder, so
    this is the order in which the workers take the units)."""
    group_rank: dict[str, int] = {}
    for nodeid, group in groups.items():
        group_rank[group] = min(group_rank.get(group, ranks[nodeid]), ranks[nodeid])
    items.sort(key=lambda item: group_rank.get(groups.get(item.nodeid, ""), ranks[item.nodeid]))


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.config.getoption("loadgroup", default=False):
        return
    # pytest-xdist groups by a suffix of the node id; a pytest that drops it splits the groups.
    ungrouped = [
        item.nodeid
        for item in session.items
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid
    ]
    if ungrouped:
        raise pytest.UsageError(
            f"--dist loadgroup has no effect with this pytest ({pytest.__version__}): "
            f"{ungrouped[0]} has no @group in its node id; see the pytest pin in pyproject.toml"
        )


def _worker_group(item: pytest.Item) -> str | None:
    """Where the broadest fixture lives that this test shares with others and that each worker
    makes for itself: a folder's conftest (its session fixture, e.g. the warehouse build, is made
    once for the folder's tests that use it) or a module. This file's fixtures are shared across
    the workers, so they group nothing."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info is not None else ()
    shared = [
        d
        for defs in definitions
        for d in defs
        if d.scope in SCOPES and d.baseid not in ("", "tests")
    ]
    if not shared:
        return None
    broadest = max(shared, key=lambda d: (SCOPES.index(d.scope), -len(d.baseid)))
    return broadest.baseid.removeprefix("tests/")


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
    if "PYTEST_XDIST_WORKER" not in os.environ:
        data = tmp_path_factory.mktemp("published") / "data"
        _publish(data)
        return data
    # The workers' basetemps share a parent: the first worker to get here runs the pipeline.
    shared = tmp_path_factory.getbasetemp().parent / "published"
    shared.mkdir(exist_ok=True)
    data, failure = shared / "data", shared / "failed.txt"
    with FileLock(shared / ".lock", timeout=PUBLISHED_TIMEOUT):
        if failure.exists():
            pytest.fail(
                f"the session's pipeline run failed on another worker:\n{failure.read_text()}"
            )
        if not (shared / "done").exists():
            try:
                _publish(data)
            except Exception as error:  # a timeout too: the other worker must not wait again
                failure.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                raise
            (shared / "done").touch()
    return data


def _publish(data: Path) -> None:
    env = pipeline_env(data)
    simulated = minzheng(env, "simulate", "--scale", "0.01", "--reset", "--no-progress")
    assert simulated.returncode == 0, simulated.stdout[-3000:] + simulated.stderr[-3000:]
    ran = minzheng(env, "run")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "succeeded" in ran.stdout


@pytest.fixture
def published_copy(published: Path, tmp_path: Path) -> Callable[[], dict[str, str]]:
    """A private copy of the published data folder, as the environment to run `minzheng` on."""

    def copy() -> dict[str, str]:
        data = tmp_path / "data"
        shutil.copytree(published, data, symlinks=True)
        return pipeline_env(data)

    return copy

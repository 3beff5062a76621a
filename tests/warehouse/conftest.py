"""One session `dbt build` on the hand-made raw zone, shared by the warehouse and docs tests."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from dbt_runner import DATA_AS_OF, Build, run_dbt
from warehouse_raw_fixtures import write_raw_zone


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """One `dbt build` (seeds, models, data tests, unit tests) on the hand-made raw zone."""
    data_dir = write_raw_zone(tmp_path_factory.mktemp("minzheng_data"))
    started = time.monotonic()
    run_dbt(["build", "--vars", DATA_AS_OF], data_dir)
    seconds = time.monotonic() - started
    yield Build(data_dir, data_dir / "dbt_target", data_dir / "dbt_logs", seconds)

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sources.simulate import simulate

SCALE = 0.02
SEED = 7


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sources")
    summary = simulate(out, scale=SCALE, seed=SEED, progress=False)
    books = out / "_bookkeeping"
    return {
        "dir": out,
        "summary": summary,
        "counts": json.loads((books / "source_counts.json").read_text("utf-8")),
        "injected": json.loads((books / "injected.json").read_text("utf-8")),
        "truth": books / "kpi_truth.csv",
    }


@pytest.fixture(scope="session")
def store_path(simulated: dict[str, Any]) -> Path:
    return simulated["dir"] / "smart_assistance" / "store.sqlite"

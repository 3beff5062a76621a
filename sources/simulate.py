"""Generate every simulated source system, plus the bookkeeping the tests compare against.

``python -m sources.simulate [--scale S] [--seed N]`` writes into ``settings.paths().sources``.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
import pandas as pd

from minzheng import settings
from sources.bookkeeping import kpi_truth
from sources.civil_registry.simulator import simulate_civil_registry
from sources.common.simtools import SystemResult
from sources.elderly_care.simulator import simulate_elderly_care
from sources.smart_assistance.simulator import simulate_smart_assistance
from sources.social_org_registry.simulator import simulate_social_org_registry

SYSTEMS: dict[str, Callable[..., SystemResult]] = {
    "smart_assistance": simulate_smart_assistance,
    "elderly_care": simulate_elderly_care,
    "social_org_registry": simulate_social_org_registry,
    "civil_registry": simulate_civil_registry,
}
BOOKKEEPING = "_bookkeeping"


def simulate(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 2024,
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    progress: bool = True,
) -> dict[str, Any]:
    """Wipe ``out_dir`` and write all four systems into ``out_dir/<system>/`` plus bookkeeping."""
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    began = time.perf_counter()
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    results: dict[str, SystemResult] = {}
    seconds: dict[str, float] = {}
    shared: dict[str, pd.DataFrame] = {}
    for system, run in SYSTEMS.items():
        t0 = time.perf_counter()
        # Later systems see the earlier ones' clean state: one simulated city, not four.
        results[system] = run(
            out_dir / system,
            scale=scale,
            seed=seed,
            start=start,
            end=end,
            progress_bar=progress,
            shared=shared,
        )
        shared.update(results[system].state)
        seconds[system] = round(time.perf_counter() - t0, 2)

    t0 = time.perf_counter()
    state = {name: frame for r in results.values() for name, frame in r.state.items()}
    truth = kpi_truth(state, end.year)
    books = out_dir / BOOKKEEPING
    books.mkdir()
    counts = {system: r.counts for system, r in results.items()}
    injected = {system: r.injected for system, r in results.items()}
    (books / "source_counts.json").write_text(
        json.dumps(counts, ensure_ascii=False, indent=2), "utf-8"
    )
    (books / "injected.json").write_text(
        json.dumps(injected, ensure_ascii=False, indent=2), "utf-8"
    )
    truth.to_csv(books / "kpi_truth.csv", index=False)
    seconds["bookkeeping"] = round(time.perf_counter() - t0, 2)
    seconds["total"] = round(time.perf_counter() - began, 2)
    summary = {
        # No out_dir: the CLI builds the world in a sibling folder and renames it into place.
        "scale": scale,
        "seed": seed,
        "start": start.isoformat(),
        "end": end.isoformat(),
        # The simulation clock: `minzheng simulate advance` moves it on from the end date.
        "as_of": end.isoformat(),
        "counts": counts,
        "seconds": seconds,
    }
    (books / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
    return summary


@click.command()
@click.option("--scale", type=float, default=None, help="defaults to MINZHENG_SCALE")
@click.option("--seed", type=int, default=2024, show_default=True)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default="2023-01-01", show_default=True)
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default="2024-12-31", show_default=True)
@click.option("--no-progress", is_flag=True)
def main(scale: float | None, seed: int, start: Any, end: Any, no_progress: bool) -> None:
    """Regenerate the simulated sources under $MINZHENG_DATA_DIR/sources."""
    summary = simulate(
        settings.paths().sources,
        scale=settings.scale() if scale is None else scale,
        seed=seed,
        start=start.date(),
        end=end.date(),
        progress=not no_progress,
    )
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

"""The stages the benchmark runs as processes of their own (the others are steps of `minzheng run`).

``python -m bench.stages <stage>`` with MINZHENG_DATA_DIR and MINZHENG_SCALE set.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
import duckdb

from minzheng import settings

FLOOR_SQL = Path(__file__).with_name("sql") / "floor_scan_every_raw_batch.sql"


def dbt_target() -> Path:
    """The bare dbt build's own target folder (its run_results.json names the slowest models)."""
    return settings.data_dir() / "dbt_target"


def _build(executable: str, target: Path) -> None:
    """``<executable> build`` of the whole project on the raw zone; target and logs in target."""
    subprocess.run(
        [
            str(Path(sys.executable).with_name(executable)),
            "build",
            *settings.WAREHOUSE_BUILD_EXCLUDES,
            "--quiet",
            "--project-dir",
            str(settings.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(settings.DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
            "--vars",
            json.dumps({"data_as_of": settings.data_as_of().isoformat()}),
        ],
        check=True,
    )


def _dbt_build() -> None:
    target = dbt_target()
    target.mkdir(parents=True, exist_ok=True)
    # Partial parsing as dagster-dbt does it: the project's parse state, copied in.
    parsed = settings.DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
    if parsed.exists():
        shutil.copy2(parsed, target / parsed.name)
    _build("dbt", target)


def _spark_build() -> None:
    """The same build on Spark (``minzheng-dbt``: session start, raw tables, dbt, DuckDB copy)."""
    _build("minzheng-dbt", settings.data_dir() / "spark_target")


def _floor() -> None:
    raw = settings.paths().raw
    with duckdb.connect() as connection:
        connection.execute(
            FLOOR_SQL.read_text(encoding="utf-8"), {"batches": str(raw / "*" / "*" / "*.parquet")}
        ).fetchall()


def _simulate() -> None:
    from sources.simulate import simulate

    paths = settings.paths()
    simulate(paths.sources, scale=settings.scale(), progress=False)


STAGES = {
    "simulate": _simulate,
    "dbt_build": _dbt_build,
    "spark_build": _spark_build,
    "floor": _floor,
}


@click.command()
@click.argument("stage", type=click.Choice(sorted(STAGES)))
def main(stage: str) -> None:
    started = time.perf_counter()
    STAGES[stage]()
    click.echo(f"{stage}: {time.perf_counter() - started:.1f} s", err=True)


if __name__ == "__main__":
    main()

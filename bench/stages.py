"""One pipeline stage per process, so that the benchmark can time it and read its peak memory.

``python -m bench.stages <stage>`` with MINZHENG_DATA_DIR and MINZHENG_SCALE set.
"""

from __future__ import annotations

import json
import os
import secrets
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


def _dbt_build() -> None:
    target = dbt_target()
    target.mkdir(parents=True, exist_ok=True)
    # Partial parsing as dagster-dbt does it: the project's parse state, copied in.
    parsed = settings.DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
    if parsed.exists():
        shutil.copy2(parsed, target / parsed.name)
    subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
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


def _dagster(selection: str) -> None:
    """Materialise a selection in process, as the orchestrator does at night."""
    import dagster as dg

    from orchestration.run import dagster_instance

    instance = dagster_instance()
    from orchestration.definitions import build_definitions
    from orchestration.defs.quality import published_contract_checks, raw_contract_checks
    from orchestration.defs.sources import all_extract_assets
    from orchestration.defs.warehouse import warehouse_models

    definitions = build_definitions()
    assets = {"extract": all_extract_assets, "build": [warehouse_models]}[selection]
    # The Great Expectations checks are timed on their own (the "checks" stage).
    suites = dg.AssetSelection.checks(*raw_contract_checks, *published_contract_checks)
    job = dg.define_asset_job(
        f"bench_{selection}", selection=dg.AssetSelection.assets(*assets) - suites
    )
    resolved = dg.Definitions.merge(definitions, dg.Definitions(jobs=[job])).resolve_job_def(
        job.name
    )
    result = resolved.execute_in_process(
        instance=instance,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
    )
    if not result.success:
        raise SystemExit(f"{selection} failed")


def _checks() -> None:
    from expectations.runner import validate_parquet
    from expectations.suites import RAW_SUITES
    from minzheng.raw_zone import RawZone

    zone = RawZone(settings.paths().raw)
    failed = []
    for (source, entity), suite in RAW_SUITES.items():
        # The same path as the raw-contract asset checks: SQL over the batch files.
        if not validate_parquet(suite(), zone.batch_files(source, entity)).passed:
            failed.append(f"{source}.{entity}")
    if failed:
        raise SystemExit(f"blocking checks failed: {failed}")


def _publish() -> None:
    from minzheng.publish import publish

    paths = settings.paths()
    publish(paths.warehouse, paths.serving)


def _export() -> None:
    from minzheng.export import export_quarter
    from orchestration.defs.serving import latest_quarter

    paths = settings.paths()
    export_quarter(paths.serving, paths.exports, latest_quarter(paths.serving), "bench")


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
    "extract": lambda: _dagster("extract"),
    "checks": _checks,
    "dbt_build": _dbt_build,
    "dagster_build": lambda: _dagster("build"),
    "publish": _publish,
    "export": _export,
    "floor": _floor,
}


@click.command()
@click.argument("stage", type=click.Choice(sorted(STAGES)))
def main(stage: str) -> None:
    if stage == "extract" and not os.environ.get("MINZHENG_SA_API_URL"):
        from sources.smart_assistance.server import serve_store

        token = secrets.token_urlsafe(16)
        store = settings.paths().sources / "smart_assistance" / "store.sqlite"
        with serve_store(store, token) as url:
            os.environ["MINZHENG_SA_API_URL"], os.environ["MINZHENG_SA_API_TOKEN"] = url, token
            STAGES[stage]()
        return
    started = time.perf_counter()
    STAGES[stage]()
    click.echo(f"{stage}: {time.perf_counter() - started:.1f} s", err=True)


if __name__ == "__main__":
    main()

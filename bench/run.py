"""`make bench`: every figure of the pipeline at each scale, side by side, as seconds and ratios.

Per scale, in one fresh data directory: the simulation; a full `minzheng run` from an empty raw
zone, whose stages (extract, checks, build, publish, export) are its own Dagster steps, with the
memory of its process tree sampled; a bare `dbt build` and the floor scan on the raw zone it
landed; the heaviest mart/KPI selects on DuckDB and on PostgreSQL; Superset's chart-data latency;
and a one-day night after the full run. Every figure of one result is measured in the same run on
the same machine, because the machines are shared and noisy: compare ratios, not seconds across
runs. A figure that cannot be measured says why (``not_measured``); none is left out.

This module runs the scales; measuring a process is `bench.measure`, the machine's facts
`bench.machine`, the table and the README section `bench.report`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from bench import DATA_AS_OF
from bench.machine import machine, memory_mib
from bench.measure import (
    Figure,
    StageFailed,
    first_line,
    is_missing,
    measure,
    missing,
    peak_during,
    ratio,
    shown,
)
from bench.report import RUN_STAGES, STAGES, markdown, update_readme
from minzheng import settings
from minzheng.run_summary import raw_rows

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
README = settings.PROJECT_ROOT / "README.md"
MINZHENG = str(Path(sys.executable).with_name("minzheng"))


def stage_argv(stage: str) -> list[str]:
    return [sys.executable, "-m", "bench.stages", stage]


def run_scale(scale: float, log: Path, repeat: int, chart_repeat: int) -> dict[str, Any]:
    data = settings.data_dir() / "bench" / f"scale-{scale:g}"
    env = {
        **os.environ,
        "MINZHENG_DATA_DIR": str(data),
        "DAGSTER_HOME": str(data / ".dagster"),
        "MINZHENG_SCALE": str(scale),
        "MINZHENG_DATA_AS_OF": DATA_AS_OF,
    }
    env.pop("MINZHENG_SA_API_URL", None)
    env.pop("MINZHENG_SA_API_TOKEN", None)
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    paths = settings.Paths(data)

    stages: dict[str, Figure] = {}
    runs: dict[str, Figure] = {}
    failed: str | None = None
    try:
        click.echo(f"scale {scale:g}: simulate …", err=True)
        stages["simulate"] = measure(stage_argv("simulate"), env, log, "simulate")
        click.echo(f"scale {scale:g}: full run …", err=True)
        samples: list[tuple[float, float]] = []
        started = time.time()
        runs["full_run"] = measure([MINZHENG, "run"], env, log, "full run", samples)
        stages |= run_stages(data / ".dagster", started, runs["full_run"], samples)
        # The bare build starts from no warehouse too, on the raw zone the full run landed; the
        # full run's warehouse is put back for the night.
        full_run_warehouse = data / "full-run.warehouse.duckdb"
        paths.warehouse.rename(full_run_warehouse)
        for stage in ("dbt_build", "spark_build", "floor"):
            click.echo(f"scale {scale:g}: {stage} …", err=True)
            stages[stage] = measure(stage_argv(stage), env, log, stage)
    except StageFailed as error:
        failed = str(error)
    for stage in [*STAGES, "floor"]:
        stages.setdefault(stage, missing(f"the pipeline did not complete: {failed}"))
    result: dict[str, Any] = {
        "scale": scale,
        "raw_rows": raw_rows(paths) if paths.raw.exists() else None,
        "stages": stages,
        "dbt_build_over_floor": ratio(
            stages["dbt_build"], stages["floor"], ("dbt build", "floor scan"), digits=1
        ),
        "spark_over_duckdb": ratio(
            stages["spark_build"], stages["dbt_build"], ("Spark build", "dbt build"), digits=2
        ),
        "orchestration_overhead": ratio(
            stages["dagster_build"], stages["dbt_build"], ("Dagster build", "dbt build"), digits=2
        ),
        "heaviest_models": heaviest_models(data / "dbt_target"),
    }
    if failed:
        reason = f"the pipeline did not complete: {failed}"
        result["peer"] = result["superset"] = missing(reason)
        result["runs"] = {
            name: runs.get(name) or missing(reason) for name in ("full_run", "advance", "night_run")
        }
        result["night_stages"] = result["incremental"] = missing(reason)
        return result

    click.echo(f"scale {scale:g}: PostgreSQL peer …", err=True)
    result["peer"] = peer_figure(paths, data / "peer", repeat)
    click.echo(f"scale {scale:g}: Superset chart data …", err=True)
    result["superset"] = superset_figure(data, log, chart_repeat)
    click.echo(f"scale {scale:g}: one-day advance, night run …", err=True)
    for built in data.glob("warehouse.duckdb*"):
        built.unlink()
    full_run_warehouse.rename(paths.warehouse)
    night = night_runs(env, log, data / ".dagster")
    result["runs"] = runs | {name: night[name] for name in ("advance", "night_run")}
    result["night_stages"] = night["stages"]
    runs = result["runs"]
    absent = [figure for figure in runs.values() if is_missing(figure)]
    result["incremental"] = (
        missing(absent[0]["not_measured"])
        if absent
        else ratio(runs["night_run"], runs["full_run"], ("night run", "full run"), digits=3)
    )
    return result


def step_stage(step_key: str) -> str:
    """Which stage of the table a step of `minzheng run` belongs to."""
    if step_key == "warehouse_models":
        return "dagster_build"
    if step_key == "serving__minzheng":
        return "publish"
    if step_key.startswith("exports__"):
        return "export"
    if step_key.startswith("raw__") and not step_key.endswith("_source_contract"):
        return "extract"
    return "checks"


def run_stages(
    dagster_home: Path, started: float, run: Figure, samples: list[tuple[float, float]]
) -> dict[str, Figure]:
    """The stages of a `minzheng run` from the steps Dagster recorded for its runs: seconds summed
    over a stage's steps (the run executes them one after another), MiB the peak of the sampled
    process tree while they ran."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(dagster_home))
    spans: dict[str, list[tuple[float, float]]] = {}
    for record in instance.get_run_records(limit=10):
        if record.create_timestamp.timestamp() < started:
            continue
        for step in instance.get_run_step_stats(record.dagster_run.run_id):
            if step.start_time and step.end_time:
                spans.setdefault(step_stage(step.step_key), []).append(
                    (step.start_time, step.end_time)
                )
    stages: dict[str, Figure] = {}
    for stage in RUN_STAGES:
        if stage not in spans:
            stages[stage] = missing(f"the run recorded no {stage} step")
            continue
        stages[stage] = {
            "seconds": round(sum(end - start for start, end in spans[stage]), 2),
            "steps": len(spans[stage]),
            **peak_during(samples, spans[stage]),
        }
    in_steps = sum(figure.get("seconds", 0.0) for figure in stages.values())
    stages["run_outside_steps"] = {"seconds": round(run["seconds"] - in_steps, 2)}
    return stages


def heaviest_models(target: Path, top: int = 8) -> Any:
    """The slowest mart and KPI models of the bare dbt build: where the peer queries come from."""
    from bench.peer_sql import compiled_models

    results = target / "run_results.json"
    if not results.exists() or not (target / "manifest.json").exists():
        return missing("the bare dbt build wrote no run_results.json and manifest.json")
    layers = {name: model["layer"] for name, model in compiled_models(target).items()}
    timed = [
        {"model": r["unique_id"].split(".")[-1], "seconds": round(r["execution_time"], 2)}
        for r in json.loads(results.read_text(encoding="utf-8"))["results"]
        if layers.get(r["unique_id"].split(".")[-1]) in {"marts", "kpi"}
    ]
    return sorted(timed, key=lambda r: r["seconds"], reverse=True)[:top]


def peer_figure(paths: settings.Paths, workdir: Path, repeat: int) -> Figure:
    try:
        from bench.peer import EngineSettings, compare, peer_queries

        engine = EngineSettings.for_machine(
            os.cpu_count() or 1, memory_mib(), workdir / "duckdb_tmp"
        )
        queries = peer_queries(paths.root / "dbt_target")
        figure = compare(paths.warehouse, workdir, engine, queries, repeat=repeat)
        return figure
    except Exception as error:
        return missing(f"{type(error).__name__}: {first_line(error)}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def superset_figure(data: Path, log: Path, repeat: int) -> Figure:
    from bench import superset

    reason = superset.unavailable()
    if reason:
        return missing(reason)
    try:
        with superset.running_superset(data, log) as server:
            return superset.chart_data_latency(server, repeat=repeat)
    except Exception as error:
        return missing(f"{type(error).__name__}: {first_line(error)} (see {shown(log)})")


def night_runs(env: dict[str, str], log: Path, dagster_home: Path) -> dict[str, Figure]:
    """The sources moved on by one day (`minzheng simulate advance --days 1`), then the night's
    `minzheng run` on the full run's raw zone and warehouse, and the night's own stages."""
    runs: dict[str, Figure] = {"stages": missing("the night did not run")}
    advance = [MINZHENG, "simulate", "advance", "--days", "1"]
    started = time.perf_counter()
    done = subprocess.run(
        advance, env=env, cwd=settings.PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n=== advance: {' '.join(advance)}\n{done.stdout}{done.stderr}")
    if done.returncode != 0:
        said = (
            done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}"
        ).splitlines()
        reason = f"`minzheng simulate advance --days 1` failed: {said[-1][:200]}"
        runs["advance"] = missing(reason)
        runs["night_run"] = missing(reason)
        return runs
    runs["advance"] = {"seconds": round(time.perf_counter() - started, 2)}
    samples: list[tuple[float, float]] = []
    started = time.time()
    try:
        runs["night_run"] = measure([MINZHENG, "run"], env, log, "night run", samples)
    except StageFailed as error:
        runs["night_run"] = missing(str(error))
        return runs
    runs["stages"] = run_stages(dagster_home, started, runs["night_run"], samples)
    return runs


def scaling(small: dict[str, Any], large: dict[str, Any]) -> Figure:
    """The full runs' time ratio against the raw-row ratio."""
    if not small.get("raw_rows") or not large.get("raw_rows"):
        return missing("raw rows were not counted at both scales")
    full = [s.get("runs", {}).get("full_run") for s in (small, large)]
    if any(is_missing(f) for f in full):
        return missing("the full run was not measured at both scales")
    return {
        "basis": "full run",
        "time_ratio": round(full[1]["seconds"] / max(full[0]["seconds"], 1e-9), 1),
        "row_ratio": round(large["raw_rows"] / small["raw_rows"], 1),
        "versus_scale": small["scale"],
    }


def with_scaling(measured: list[dict[str, Any]]) -> None:
    if len(measured) == 1:
        measured[0]["scaling"] = missing('one scale only: BENCH_SCALES="1.0 2" measures two')
        return
    measured[0]["scaling"] = {"baseline": True}
    for scale in measured[1:]:
        scale["scaling"] = scaling(measured[0], scale)


def _write(today: str, facts: dict[str, Any], scale: dict[str, Any]) -> None:
    result = {"date": today, "machine": facts, **scale}
    path = RESULTS / f"{today}-{scale['scale']:g}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


@click.command()
@click.option("--scales", default="1.0", show_default=True, help="Space-separated scales.")
@click.option("--repeat", default=5, show_default=True, help="Timed runs per peer query.")
@click.option(
    "--chart-repeat", default=3, show_default=True, help="Timed passes over Superset's charts."
)
@click.option("--readme/--no-readme", default=True, help="Rewrite the README's bench section.")
def main(scales: str, repeat: int, chart_repeat: int, readme: bool) -> None:
    """Measure every figure at each scale; write bench/results/<date>-<scale>.{json,md}."""
    chosen = [float(s) for s in scales.split()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / "tmp" / "bench.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    today = date.today().isoformat()
    facts = machine()
    measured: list[dict[str, Any]] = []
    for chosen_scale in chosen:
        measured.append(run_scale(chosen_scale, log, repeat, chart_repeat))
        _write(today, facts, measured[-1])  # kept even if a later scale never finishes
    with_scaling(measured)
    for figures in measured:
        _write(today, facts, figures)
    table = markdown({"date": today, "machine": facts, "scales": measured})
    stem = f"{today}-" + "_".join(f"{s:g}" for s in chosen)
    (RESULTS / f"{stem}.md").write_text(table, encoding="utf-8")
    if readme:
        update_readme(README, table, [f"{today}-{s:g}.json" for s in chosen])
    click.echo(table)


if __name__ == "__main__":
    main()

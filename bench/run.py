"""`make bench`: every figure of the pipeline at each scale, side by side, as seconds and ratios.

Per scale, in one fresh data directory: the simulation; a full `minzheng run` from an empty raw
zone, whose stages (extract, checks, build, publish, export) are its own Dagster steps, with the
memory of its process tree sampled; a bare `dbt build` and the floor scan on the raw zone it
landed; the heaviest mart/KPI selects on DuckDB and on PostgreSQL; Superset's chart-data latency;
and a one-day night after the full run. Every figure of one result is measured in the same run on
the same machine, because the machines are shared and noisy: compare ratios, not seconds across
runs. A figure that cannot be measured says why (``not_measured``); none is left out.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from bench import DATA_AS_OF
from minzheng import settings
from minzheng.run_summary import raw_rows

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
README = settings.PROJECT_ROOT / "README.md"
MINZHENG = str(Path(sys.executable).with_name("minzheng"))
# The stage rows of the table. simulate, dbt_build and floor are processes of their own; the
# others are the steps of the full `minzheng run`, as the pipeline really runs them.
STAGES = [
    "simulate",
    "extract",
    "checks",
    "dbt_build",
    "dagster_build",
    "publish",
    "export",
    "run_outside_steps",
]
STAGE_LABELS = {
    "simulate": "simulate (source systems)",
    "extract": "extract (every source; the full run's extract steps)",
    "checks": "checks (Great Expectations, reconciliation, freshness; the full run's check steps)",
    "dbt_build": "dbt_build (bare `dbt build` from an empty warehouse)",
    "dagster_build": "dagster_build (the same models: the full run's `warehouse_models` step)",
    "publish": "publish (the full run's step)",
    "export": "export (provincial quarter; the full run's step)",
    "run_outside_steps": "the full run outside its steps (start-up, Dagster between steps)",
    "floor": "floor scan (every column of every raw batch)",
}
# The stages of a `minzheng run`, read from its Dagster steps (see step_stage).
RUN_STAGES = ("extract", "checks", "dagster_build", "publish", "export")
# Resident memory of a run's process tree is read this often (seconds).
SAMPLE_SECONDS = 0.25
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

Figure = dict[str, Any]


class StageFailed(RuntimeError):
    pass


def missing(reason: str) -> Figure:
    """A figure that could not be measured, with the reason the table shows."""
    return {"not_measured": reason}


def is_missing(figure: Any) -> bool:
    return figure is None or (isinstance(figure, dict) and "not_measured" in figure)


def measure(
    argv: list[str],
    env: dict[str, str],
    log: Path,
    name: str,
    samples: list[tuple[float, float]] | None = None,
) -> Figure:
    """Run one process: its wall time and the peak resident memory of its process tree.

    The tree's memory is the sum over every process in it, read every SAMPLE_SECONDS (into
    ``samples`` as (epoch seconds, MiB) when given, so that the peak of each step inside can be
    found); wait4's peak of the largest single process covers what falls between two readings.
    """
    samples = [] if samples is None else samples
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n=== {name}: {' '.join(argv)}\n")
        handle.flush()
        offset = handle.tell()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, env=env, stdout=handle, stderr=handle, cwd=settings.PROJECT_ROOT
        )
        sampler = threading.Thread(
            target=_sample_tree, args=(process, samples), name="bench-rss", daemon=True
        )
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.join()
    if process.returncode != 0:
        raise StageFailed(f"{name} failed (exit {process.returncode}: {first_error(log, offset)})")
    peak = max([usage.ru_maxrss / 1024, *(mib for _, mib in samples)])
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1)}


def _sample_tree(process: subprocess.Popen[bytes], samples: list[tuple[float, float]]) -> None:
    page_mib = os.sysconf("SC_PAGE_SIZE") / 2**20
    while process.returncode is None:
        samples.append((time.time(), tree_rss_pages(process.pid) * page_mib))
        time.sleep(SAMPLE_SECONDS)


def tree_rss_pages(pid: int) -> int:
    """Resident pages of a process and all its descendants (0 for those already gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        proc = Path("/proc") / str(current)
        try:
            total += int((proc / "statm").read_text().split()[1])
            for task in (proc / "task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


_ERROR = re.compile(r"^(?:[\w.]+(?:Error|Exception)|Error|ERROR)\b.*")


def first_error(log: Path, offset: int) -> str:
    """The error a process wrote to the log after offset: the first after a failed Dagster step,
    else the first at all (else where to look)."""
    with log.open(encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        lines = handle.read().splitlines()
    failed_step = next((i for i, line in enumerate(lines) if "STEP_FAILURE" in line), 0)
    for line in [*lines[failed_step:], *lines[:failed_step]]:
        found = _ERROR.match(line.strip())
        if found:
            return found[0][:240]
    return f"see {_shown(log)}"


def stage_argv(stage: str) -> list[str]:
    return [sys.executable, "-m", "bench.stages", stage]


def ratio(numerator: Figure, denominator: Figure, names: tuple[str, str], digits: int) -> Figure:
    """numerator ÷ denominator seconds, or which of the two is missing."""
    absent = [
        name for name, f in zip(names, (numerator, denominator), strict=True) if is_missing(f)
    ]
    if absent:
        return missing(" and ".join(absent) + " not measured")
    return {"value": round(numerator["seconds"] / max(denominator["seconds"], 1e-9), digits)}


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
        for stage in ("dbt_build", "floor"):
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
            **_peak(samples, spans[stage]),
        }
    in_steps = sum(figure.get("seconds", 0.0) for figure in stages.values())
    stages["run_outside_steps"] = {"seconds": round(run["seconds"] - in_steps, 2)}
    return stages


def _peak(samples: list[tuple[float, float]], spans: list[tuple[float, float]]) -> Figure:
    inside = [mib for at, mib in samples if any(start <= at <= end for start, end in spans)]
    return {"peak_rss_mb": round(max(inside), 1)} if inside else {}


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
        return missing(f"{type(error).__name__}: {_first_line(error)}")
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
        return missing(f"{type(error).__name__}: {_first_line(error)} (see {_shown(log)})")


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


# --- machine facts ------------------------------------------------------------------------------


def memory_mib() -> int:
    found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return int(found[1]) // 1024 if found else 0


def machine() -> dict[str, Any]:
    import dagster
    import dbt.version
    import duckdb

    from bench.postgres import find_bindir
    from bench.superset import SUPERSET_PYTHON

    with duckdb.connect(config={"memory_limit": settings.duckdb_memory_limit()}) as connection:
        defaults = connection.execute(
            "select current_setting('threads'), current_setting('memory_limit')"
        ).fetchone()
    profile = (settings.DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    dbt_threads = re.search(r"threads:\s*(\d+)", profile)
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_mib() / 1024, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": dbt.version.__version__,
        "dagster": dagster.__version__,
        "postgres": _output(
            [str((find_bindir() or Path("/nonexistent")) / "postgres"), "-V"]
        ).removeprefix("postgres (PostgreSQL) "),
        "superset": _output(
            [
                str(SUPERSET_PYTHON),
                "-c",
                "from importlib.metadata import version; print(version('apache-superset'))",
            ]
        ),
        "pipeline_duckdb_settings": {
            "source": (
                f"memory_limit {settings.duckdb_memory_limit()!r} of the machine "
                "(settings.duckdb_memory_limit(), on the warehouse build and publish), "
                "threads and temp_directory DuckDB's defaults"
            ),
            "threads": defaults[0] if defaults else None,
            "memory_limit": defaults[1] if defaults else None,
            "temp_directory": "<database>.tmp beside each database file",
            "dbt_threads": int(dbt_threads[1]) if dbt_threads else None,
        },
    }


def _output(argv: list[str]) -> str:
    """What a version command prints, or "not installed"."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    return done.stdout.strip()


# --- the table ----------------------------------------------------------------------------------


def _cell(figure: Any, show: Any) -> str:
    if figure is None:
        return "not measured: not run"
    if is_missing(figure):
        return f"not measured: {figure['not_measured']}"
    return str(show(figure))


def _seconds_mib(figure: Figure) -> str:
    if "peak_rss_mb" in figure:
        return f"{figure['seconds']:.1f} s / {figure['peak_rss_mb']:.0f} MiB"
    return f"{figure['seconds']:.1f} s"


def _peer_query(name: str, scale: dict[str, Any]) -> Any:
    peer: Any = scale.get("peer")
    if is_missing(peer):
        return peer
    return next((q for q in peer["queries"] if q["name"] == name), None)


def _peer_cell(query: Figure) -> str:
    text = (
        f"**{query['postgres_over_duckdb']}** "
        f"({query['postgres_seconds']:.3f} s / {query['duckdb_seconds']:.3f} s)"
    )
    return text + (f" — {query['warning']}" if query.get("warning") else "")


def markdown(result: dict[str, Any]) -> str:
    """One column per scale; a figure that is missing says why in its cell."""
    scales: list[dict[str, Any]] = result["scales"]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, get: Any, show: Any) -> None:
        rows.append((label, [_cell(get(s), show) for s in scales]))

    row(
        "raw rows",
        lambda s: {"n": s["raw_rows"]} if s.get("raw_rows") else missing("no raw zone"),
        lambda f: f"{f['n']:,}",
    )
    for stage in [*STAGES, "floor"]:
        row(STAGE_LABELS[stage], lambda s, st=stage: s["stages"].get(st), _seconds_mib)
    row(
        "**dbt build ÷ floor scan**",
        lambda s: s.get("dbt_build_over_floor"),
        lambda f: f"**{f['value']}**",
    )
    row(
        "**orchestration overhead** (Dagster build ÷ bare dbt build)",
        lambda s: s.get("orchestration_overhead"),
        lambda f: f"**{f['value']}**",
    )
    row(
        "full run (`minzheng run`, empty raw zone)",
        lambda s: s.get("runs", {}).get("full_run"),
        _seconds_mib,
    )
    row(
        "`minzheng simulate advance --days 1`",
        lambda s: s.get("runs", {}).get("advance"),
        _seconds_mib,
    )
    row(
        "one-day night (`minzheng run` after the advance)",
        lambda s: s.get("runs", {}).get("night_run"),
        _seconds_mib,
    )
    row(
        "one-day night by stage: extract / checks / build / publish / export / outside steps",
        lambda s: s.get("night_stages"),
        _night_stages_cell,
    )
    row(
        "**incremental** (one-day night ÷ full run)",
        lambda s: s.get("incremental"),
        lambda f: f"**{f['value']}**",
    )

    names: list[str] = []
    for scale in scales:
        peer: Any = scale.get("peer")
        for query in [] if is_missing(peer) else peer["queries"]:
            if query["name"] not in names:
                names.append(query["name"])
    if names:
        for name in names:
            row(
                f"**PostgreSQL ÷ DuckDB** `{name}` (median PG s / DuckDB s)",
                lambda s, n=name: _peer_query(n, s),
                _peer_cell,
            )
        row(
            "peer tables: rows; built in DuckDB / CSV, COPY and ANALYZE in PostgreSQL",
            lambda s: s.get("peer"),
            lambda f: (
                f"{f['rows_loaded']:,}; {f['duckdb']['load_seconds']:.1f} s / "
                f"{f['postgres']['load_seconds']:.1f} s"
            ),
        )
    else:
        row("**PostgreSQL ÷ DuckDB** (heaviest mart/KPI selects)", lambda s: s.get("peer"), str)
    row(
        "**Superset chart data** p50 / p95 (every chart of every dashboard, force=true)",
        lambda s: s.get("superset"),
        lambda f: (
            f"**{f['p50_seconds']:.2f} s / {f['p95_seconds']:.2f} s** "
            f"({f['charts']} charts on {f['dashboards']} dashboards × {f['repeat']})"
            + (f"; {len(f['failed_charts'])} charts failed" if f.get("failed_charts") else "")
        ),
    )
    row("**scaling** (time ratio for the raw-row ratio)", lambda s: s.get("scaling"), _scaling_cell)

    header = "| figure | " + " | ".join(f"scale {s['scale']:g}" for s in scales) + " |"
    lines = [header, "|---|" + "---|" * len(scales)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    lines += ["", *_notes(result)]
    return "\n".join(lines) + "\n"


def _night_stages_cell(stages: Figure) -> str:
    order = (*RUN_STAGES, "run_outside_steps")
    return (
        " / ".join(
            "–" if is_missing(stages.get(name)) else f"{stages[name]['seconds']:.1f}"
            for name in order
        )
        + " s"
    )


def _scaling_cell(figure: Figure) -> str:
    if figure.get("baseline"):
        return "baseline"
    return (
        f"**time ×{figure['time_ratio']} for rows ×{figure['row_ratio']}** "
        f"(vs scale {figure['versus_scale']:g}; {figure['basis']})"
    )


def _notes(result: dict[str, Any]) -> list[str]:
    facts = result["machine"]
    pipeline = facts["pipeline_duckdb_settings"]
    notes = [
        f"Machine: {facts['cores']} cores, {facts['memory_gib']} GiB; Python {facts['python']}, "
        f"DuckDB {facts['duckdb']}, dbt-core {facts['dbt_core']}, Dagster {facts['dagster']}, "
        f"PostgreSQL {facts['postgres']}, Superset {facts['superset']}. Seconds are wall time "
        "and MiB the peak resident memory of the process tree (the sum over its processes, read "
        "every 0.25 s, or the largest single process if larger); a stage that is a step of the "
        "full run has the peak of the run's tree while its steps ran. Every figure of one "
        "column comes from one run on one machine: compare ratios, not seconds across runs.",
        "",
        f"- DuckDB in the pipeline stages: {pipeline['source']}: threads={pipeline['threads']}, "
        f"memory_limit={pipeline['memory_limit']}, temp_directory={pipeline['temp_directory']} "
        f"(dbt runs {pipeline['dbt_threads']} models at once).",
    ]
    peer = next((s["peer"] for s in result["scales"] if not is_missing(s.get("peer"))), None)
    if peer is not None:
        duck = peer["duckdb"]["settings"]
        pg = peer["postgres"]
        notes += [
            f"- DuckDB in the peer queries (set by the bench): threads={duck['threads']}, "
            f"memory_limit={duck['memory_limit']}, temp_directory=<scale data>/peer/duckdb_tmp.",
            f"- PostgreSQL {pg['version']} in the peer queries: a throwaway cluster (initdb, Unix "
            f"socket only, server run as {pg['os_user']}), tables loaded by COPY and ANALYZEd, no "
            "indexes (every query reads whole tables); "
            + ", ".join(f"{k}={v}" for k, v in pg["settings"].items())
            + ".",
            "- Peer queries: the compiled selects of the dbt models named in `bench/peer.py`, "
            "from the bench's own build, materialised as a temporary table on both engines; "
            f"median of {peer['repeat']} runs after one warm-up.",
        ]
    heaviest = next(
        (s for s in reversed(result["scales"]) if not is_missing(s.get("heaviest_models"))), None
    )
    if heaviest is not None:
        listed = ", ".join(
            f"{m['model']} {m['seconds']:.1f} s" for m in heaviest["heaviest_models"]
        )
        notes.append(
            f"- Slowest mart/KPI models of the bare dbt build at scale {heaviest['scale']:g} "
            f"(dbt's run_results.json): {listed}."
        )
    return notes


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(settings.PROJECT_ROOT))
    except ValueError:
        return str(path)


def with_scaling(measured: list[dict[str, Any]]) -> None:
    if len(measured) == 1:
        measured[0]["scaling"] = missing('one scale only: BENCH_SCALES="1.0 2" measures two')
        return
    measured[0]["scaling"] = {"baseline": True}
    for scale in measured[1:]:
        scale["scaling"] = scaling(measured[0], scale)


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


def _write(today: str, facts: dict[str, Any], scale: dict[str, Any]) -> None:
    result = {"date": today, "machine": facts, **scale}
    path = RESULTS / f"{today}-{scale['scale']:g}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


def update_readme(readme: Path, table: str, files: list[str]) -> None:
    text = readme.read_text(encoding="utf-8")
    listed = ", ".join(f"`bench/results/{name}`" for name in files)
    block = f"{START}\nLatest: {listed}\n\n{table}{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n## Benchmark\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

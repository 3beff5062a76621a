"""`make bench`: every figure of the pipeline at each scale, side by side, as seconds and ratios.

Per scale, in one fresh data directory: the stages one process each (wall time and peak memory),
the floor scan, the heaviest mart/KPI selects on DuckDB and on PostgreSQL, Superset's chart-data
latency, and a full `minzheng run` followed by a one-day night. Every figure of one result is
measured in the same run on the same machine, because the machines are shared and noisy: compare
ratios, not seconds across runs. A figure that cannot be measured says why (``not_measured``);
none is left out.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
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
STAGES = ["simulate", "extract", "checks", "dbt_build", "dagster_build", "publish", "export"]
# What one pipeline run does, stage by stage (the scaling basis when a full run is missing).
PIPELINE = ["extract", "checks", "dbt_build", "publish", "export"]
STAGE_LABELS = {
    "simulate": "simulate (source systems)",
    "extract": "extract (Dagster, every source)",
    "checks": "checks (Great Expectations, raw suites)",
    "dbt_build": "dbt_build (bare `dbt build`)",
    "dagster_build": "dagster_build (the same models through Dagster)",
    "publish": "publish",
    "export": "export (provincial quarter)",
    "floor": "floor scan (every column of every raw batch)",
}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

Figure = dict[str, Any]


class StageFailed(RuntimeError):
    pass


def missing(reason: str) -> Figure:
    """A figure that could not be measured, with the reason the table shows."""
    return {"not_measured": reason}


def is_missing(figure: Any) -> bool:
    return figure is None or (isinstance(figure, dict) and "not_measured" in figure)


def measure(argv: list[str], env: dict[str, str], log: Path, name: str) -> Figure:
    """Run one process; wait4 gives the peak memory of it and the children it waited for."""
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n=== {name}: {' '.join(argv)}\n")
        handle.flush()
        offset = handle.tell()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, env=env, stdout=handle, stderr=handle, cwd=settings.PROJECT_ROOT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise StageFailed(f"{name} failed (exit {code}: {first_error(log, offset)})")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


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

    stages: dict[str, Figure] = {}
    failed: str | None = None
    for stage in [*STAGES, "floor"]:
        if failed:
            stages[stage] = missing(f"an earlier stage failed: {failed}")
            continue
        click.echo(f"scale {scale:g}: {stage} …", err=True)
        if stage == "dagster_build":
            # Both builds start from no warehouse: incremental models would otherwise find the
            # bare build's tables and do less.
            for leftover in data.glob("warehouse.duckdb*"):
                leftover.unlink()
        try:
            stages[stage] = measure(stage_argv(stage), env, log, stage)
        except StageFailed as error:
            failed = str(error)
            stages[stage] = missing(failed)
    paths = settings.Paths(data)
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
        result["runs"] = {name: missing(reason) for name in ("full_run", "advance", "night_run")}
        result["incremental"] = missing(reason)
        return result

    click.echo(f"scale {scale:g}: PostgreSQL peer …", err=True)
    result["peer"] = peer_figure(paths, data / "peer", repeat)
    click.echo(f"scale {scale:g}: Superset chart data …", err=True)
    result["superset"] = superset_figure(data, log, chart_repeat)
    click.echo(f"scale {scale:g}: full run, one-day advance, night run …", err=True)
    result["runs"] = incremental_runs(paths, env, log)
    runs = result["runs"]
    absent = [figure for figure in runs.values() if is_missing(figure)]
    result["incremental"] = (
        missing(absent[0]["not_measured"])
        if absent
        else ratio(runs["night_run"], runs["full_run"], ("night run", "full run"), digits=3)
    )
    return result


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


def incremental_runs(paths: settings.Paths, env: dict[str, str], log: Path) -> dict[str, Figure]:
    """A full `minzheng run` from an empty raw zone and warehouse, the sources moved on by one day
    (`minzheng simulate advance --days 1`), then the night's `minzheng run`."""
    runs: dict[str, Figure] = {}
    shutil.rmtree(paths.raw, ignore_errors=True)
    for built in paths.root.glob("warehouse.duckdb*"):
        built.unlink()
    try:
        runs["full_run"] = measure([MINZHENG, "run"], env, log, "full run")
    except StageFailed as error:
        after = missing("the full run failed")
        return {"full_run": missing(str(error)), "advance": after, "night_run": after}
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
    try:
        runs["night_run"] = measure([MINZHENG, "run"], env, log, "night run")
    except StageFailed as error:
        runs["night_run"] = missing(str(error))
    return runs


def scaling(small: dict[str, Any], large: dict[str, Any]) -> Figure:
    """Time ratio against row ratio: the full runs when both exist, else the pipeline's stages."""
    if not small.get("raw_rows") or not large.get("raw_rows"):
        return missing("raw rows were not counted at both scales")
    full = [s.get("runs", {}).get("full_run") for s in (small, large)]
    if not any(is_missing(f) for f in full):
        basis, times = "full run", [f["seconds"] for f in full]
    else:
        stages = [[s["stages"][name] for name in PIPELINE] for s in (small, large)]
        if any(is_missing(f) for side in stages for f in side):
            return missing("neither the full runs nor every pipeline stage were measured at both")
        basis = "stages " + " + ".join(PIPELINE)
        times = [sum(f["seconds"] for f in side) for side in stages]
    return {
        "basis": basis,
        "time_ratio": round(times[1] / max(times[0], 1e-9), 1),
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

    with duckdb.connect() as connection:
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
            "source": "dbt_project/profiles.yml sets none: DuckDB's defaults",
            "threads": defaults[0] if defaults else None,
            "memory_limit": defaults[1] if defaults else None,
            "temp_directory": "<warehouse>.duckdb.tmp (default)",
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
        "and MiB the peak resident memory of the stage's process tree; every figure of one "
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
        measured[0]["scaling"] = missing('one scale only: BENCH_SCALES="1.0 19" measures two')
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

"""The bench's table (a column per scale, a row per figure, in Markdown) and the README section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.measure import Figure, is_missing, missing

# The stage rows of the table. simulate, dbt_build and floor are processes of their own; the
# others are the steps of the full `minzheng run`, as the pipeline really runs them.
STAGES = [
    "simulate",
    "extract",
    "checks",
    "dbt_build",
    "spark_build",
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
    "spark_build": "spark_build (the same build on Spark: `minzheng-dbt build`, start to copy)",
    "dagster_build": "dagster_build (the same models: the full run's `warehouse_models` step)",
    "publish": "publish (the full run's step)",
    "export": "export (provincial quarter; the full run's step)",
    "run_outside_steps": "the full run outside its steps (start-up, Dagster between steps)",
    "floor": "floor scan (every column of every raw batch)",
}


# The stages of a `minzheng run`, read from its Dagster steps (see step_stage).
RUN_STAGES = ("extract", "checks", "dagster_build", "publish", "export")


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
        "**Spark ÷ DuckDB** (spark_build ÷ dbt_build, the same raw zone)",
        lambda s: s.get("spark_over_duckdb"),
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


def spark_settings() -> dict[str, str]:
    """The Spark settings the bench ran with (the session's, less paths)."""
    from minzheng.spark_engine import session_conf

    shown = ("spark.master", "spark.driver.memory", "spark.sql.shuffle.partitions")
    conf = session_conf()
    return {key: conf[key] for key in shown}


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
    notes.append(
        "- Spark in spark_build (docs/spark.md): "
        + ", ".join(f"{k}={v}" for k, v in spark_settings().items())
        + "; Iceberg tables, incremental merge; the seconds include the session's start and the "
        "copy of every table into the DuckDB build file."
    )
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


def update_readme(readme: Path, table: str, files: list[str]) -> None:
    text = readme.read_text(encoding="utf-8")
    listed = ", ".join(f"`bench/results/{name}`" for name in files)
    block = f"{START}\nLatest: {listed}\n\n{table}{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n## Benchmark\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


START, END = "<!-- bench:start -->", "<!-- bench:end -->"

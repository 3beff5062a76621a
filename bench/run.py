"""`make bench`: stage times and peak memory at a city and a larger scale, as ratios.

Every figure of one result file is measured in the same run on the same machine, side by side,
because the machines are shared and noisy: compare ratios, not seconds across runs.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import click

from minzheng import settings
from minzheng.run_summary import raw_rows

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
README = settings.PROJECT_ROOT / "README.md"
STAGES = ["simulate", "extract", "checks", "dbt_build", "dagster_build", "publish", "export"]


@dataclass
class Figure:
    seconds: float
    peak_rss_mb: float


def measure(stage: str, env: dict[str, str], log: Path) -> Figure:
    """Run one stage in its own process; wait4 gives that process tree's peak memory."""
    with log.open("a", encoding="utf-8") as handle:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.stages", stage],
            env=env,
            stdout=handle,
            stderr=handle,
            cwd=settings.PROJECT_ROOT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise click.ClickException(f"stage {stage} failed: see {log}")
    return Figure(round(seconds, 2), round(usage.ru_maxrss / 1024, 1))


def run_scale(scale: float, log: Path) -> dict[str, object]:
    data = settings.data_dir() / "bench" / f"scale-{scale:g}"
    env = {
        **os.environ,
        "MINZHENG_DATA_DIR": str(data),
        "DAGSTER_HOME": str(data / ".dagster"),
        "MINZHENG_SCALE": str(scale),
        "MINZHENG_DATA_AS_OF": "2024-12-31",
    }
    env.pop("MINZHENG_SA_API_URL", None)
    subprocess.run(["rm", "-rf", str(data)], check=True)
    figures = {}
    for stage in STAGES:
        click.echo(f"scale {scale:g}: {stage} …", err=True)
        figures[stage] = measure(stage, env, log)
    figures["floor"] = measure("floor", env, log)
    rows = raw_rows(settings.Paths(data))
    return {
        "scale": scale,
        "raw_rows": rows,
        "stages": {name: asdict(figure) for name, figure in figures.items()},
        "dbt_build_over_floor": round(
            figures["dbt_build"].seconds / max(figures["floor"].seconds, 1e-9), 1
        ),
        "orchestration_overhead": round(
            figures["dagster_build"].seconds / max(figures["dbt_build"].seconds, 1e-9), 2
        ),
    }


def machine() -> dict[str, object]:
    import dagster
    import dbt.version
    import duckdb

    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
    profile = (settings.DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    threads = re.search(r"threads:\s*(\d+)", profile)
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": dbt.version.__version__,
        "dagster": dagster.__version__,
        "duckdb_settings": {
            "threads": int(threads[1]) if threads else None,
            "memory_limit": "DuckDB default (80% of RAM)",
            "temp_directory": "DuckDB default (<database>.tmp)",
        },
    }


def markdown(result: dict[str, object]) -> str:
    scales: list[dict] = result["scales"]  # type: ignore[assignment]
    head = "| stage | " + " | ".join(f"scale {s['scale']:g}: s / MiB" for s in scales) + " |"
    lines = [head, "|---|" + "---|" * len(scales)]
    for stage in [*STAGES, "floor"]:
        cells = [
            f"{s['stages'][stage]['seconds']:.1f} / {s['stages'][stage]['peak_rss_mb']:.0f}"
            for s in scales
        ]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| raw rows | " + " | ".join(f"{s['raw_rows']:,}" for s in scales) + " |")
    lines.append(
        "| dbt build ÷ floor | " + " | ".join(f"{s['dbt_build_over_floor']}" for s in scales) + " |"
    )
    lines.append(
        "| Dagster build ÷ bare dbt build | "
        + " | ".join(f"{s['orchestration_overhead']}" for s in scales)
        + " |"
    )
    ratios: dict[str, str] = result["ratios"]  # type: ignore[assignment]
    lines.append("")
    for name, value in ratios.items():
        lines.append(f"- {name}: {value}")
    lines.append("")
    facts = result["machine"]
    lines.append(f"Machine: {json.dumps(facts, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def scaling(small: dict, large: dict) -> str:
    time_ratio = sum(v["seconds"] for v in large["stages"].values()) / max(
        sum(v["seconds"] for v in small["stages"].values()), 1e-9
    )
    row_ratio = large["raw_rows"] / max(small["raw_rows"], 1)
    scales = f"scale {large['scale']:g} ÷ {small['scale']:g}"
    return f"time ×{time_ratio:.1f} for rows ×{row_ratio:.1f} ({scales})"


@click.command()
@click.option("--scales", default="1.0", show_default=True, help="Space-separated scales.")
def main(scales: str) -> None:
    """Measure the pipeline stage by stage and write bench/results/<date>-<scale>.json."""
    chosen = [float(s) for s in scales.split()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / "tmp" / "bench.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    measured = [run_scale(scale, log) for scale in chosen]
    ratios = {
        "incremental (one-day night ÷ full run)": "not measured: the sources cannot advance "
        "by a day yet (`minzheng simulate advance`)",
        "PostgreSQL peer (same queries, PostgreSQL ÷ DuckDB)": "not measured yet",
        "Superset chart-data latency p50/p95": "not measured yet",
    }
    if len(measured) > 1:
        ratios["scaling"] = scaling(measured[0], measured[-1])
    else:
        ratios["scaling"] = 'one scale only: pass --scales "1.0 N"'
    result: dict[str, object] = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "scales": measured,
        "ratios": ratios,
    }
    stem = f"{result['date']}-{chosen[-1]:g}"
    (RESULTS / f"{stem}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    table = markdown(result)
    (RESULTS / f"{stem}.md").write_text(table, encoding="utf-8")
    _update_readme(table, stem)
    click.echo(table)


def _update_readme(table: str, stem: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    block = f"{start}\nLatest: `bench/results/{stem}.json`\n\n{table}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n## Benchmark\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

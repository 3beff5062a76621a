"""The `minzheng` command: simulate the sources, run the pipeline, export, roll back."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click

from minzheng import settings
from minzheng.locks import LockHeld, exclusive


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Minzheng Warehouse (民政数据仓库): from source systems to KPI progress and reports.

    Data lives under $MINZHENG_DATA_DIR (default ./data).
    """


@main.group(invoke_without_command=True)
@click.option(
    "--scale",
    type=float,
    default=None,
    help="1.0 = a Taizhou city-year; default $MINZHENG_SCALE or 1.0.",
)
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default="2023-01-01", show_default=True)
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default="2024-12-31", show_default=True)
@click.option("--progress/--no-progress", default=True, help="Show progress bars.")
@click.option(
    "--reset",
    is_flag=True,
    help="Also clear the raw zone and the build: a new simulated world starts from nothing.",
)
@click.pass_context
def simulate(
    ctx: click.Context,
    scale: float | None,
    seed: int,
    start: object,
    end: object,
    progress: bool,
    reset: bool,
) -> None:
    """Generate the four source systems under $MINZHENG_DATA_DIR/sources.

    \b
    minzheng simulate [OPTIONS]          regenerate them for START..END (the clock stops at END)
    minzheng simulate advance --days N   move the simulated systems on by N days
    """
    if ctx.invoked_subcommand is not None:
        given = [
            f"--{name}"
            for name in ("scale", "seed", "start", "end", "progress", "reset")
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
        ]
        if given:
            raise click.UsageError(
                f"options of a fresh simulation ({', '.join(given)}) do not go with "
                f"`simulate {ctx.invoked_subcommand}`, which continues the existing one"
            )
        return
    from sources.simulate import simulate as run_simulation

    chosen_scale = settings.scale() if scale is None else scale
    paths = settings.paths()
    target = paths.sources
    if reset:
        shutil.rmtree(paths.raw, ignore_errors=True)
        paths.warehouse.unlink(missing_ok=True)
    summary = run_simulation(
        target,
        scale=chosen_scale,
        seed=seed,
        start=_as_date(start),
        end=_as_date(end),
        progress=progress,
    )
    click.echo(f"simulated scale {chosen_scale} into {target}")
    counts = summary.get("counts", summary.get("source_counts", {}))
    for system, entities in sorted(counts.items()):
        for entity, rows in sorted(entities.items()):
            click.echo(f"  {system}.{entity}: {rows:,} rows")


@simulate.command()
@click.option(
    "--days",
    type=click.IntRange(min=1),
    required=True,
    help="How many simulated days to move on (one nightly run sees one day).",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar.")
def advance(days: int, progress: bool) -> None:
    """Move the simulated source systems on by N days, as a nightly run would find them.

    Each system changes in its own medium: new records dated in the new days, status changes
    and corrections with the new days' updated_at, new daily inbox files, and a new registry
    export at each month end passed. Deterministic for the seed and the days advanced.
    """
    from sources.advance import AdvanceError
    from sources.advance import advance as run_advance

    paths = settings.paths()
    try:
        # Not while a pipeline run reads the sources.
        with exclusive(paths.root / ".run.lock", "the data directory"):
            entry = run_advance(paths.sources, days=days, progress=progress)
    except (LockHeld, AdvanceError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"advanced {paths.sources} from {entry['from']} to {entry['to']} in {entry['seconds']} s"
    )
    for system, entities in entry["systems"].items():
        for entity, change in entities.items():
            if change["added"] or change["changed"]:
                click.echo(
                    f"  {system}.{entity}: {change['added']:,} added, {change['changed']:,} changed"
                )
    if date.fromisoformat(entry["to"]) > date.today():
        click.echo(
            f"note: the clock ({entry['to']}) is past today; extracts read changes up to now, "
            "so the later ones wait until their day comes",
            err=True,
        )


@main.command()
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="WARNING",
    show_default=True,
    help="Dagster's console log level (the full event log is kept in DAGSTER_HOME).",
)
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Rebuild the incremental models from every raw batch (needed once after a change to "
    "their columns; dbt names the model when it is).",
)
def run(log_level: str, full_refresh: bool) -> None:
    """Run the whole pipeline once: extract, build, check, publish, export the latest quarter.

    Exits non-zero when a blocking check fails (nothing is then published).
    """
    from minzheng.run_summary import print_summary
    from orchestration.run import run_once

    paths = settings.paths()
    if not paths.sources.exists() and not os.environ.get("MINZHENG_SA_API_URL"):
        raise click.ClickException(
            f"no source systems at {paths.sources}: run `minzheng simulate` first"
        )
    with _single_run_lock(paths.root), _smart_assistance_api(paths.sources):
        outcome = run_once(log_level.upper(), full_refresh=full_refresh)
    print_summary(paths, outcome)
    if not outcome.success:
        sys.exit(1)


@main.command()
@click.option("--quarter", required=True, help="The quarter to report, e.g. 2024Q4.")
def export(quarter: str) -> None:
    """Write the provincial quarterly report from the published serving file."""
    from minzheng.export import Quarter, export_quarter

    paths = settings.paths()
    if not paths.serving.exists():
        raise click.ClickException(f"nothing published yet at {paths.serving}: run `minzheng run`")
    result = export_quarter(paths.serving, paths.exports, Quarter.parse(quarter), run_id="cli")
    click.echo(f"exported {result.rows} rows to {result.directory}")
    for path in (result.workbook, result.csv, result.manifest):
        click.echo(f"  {path.name}")


@main.command()
def rollback() -> None:
    """Put the previous serving file back (the current one becomes the previous)."""
    from minzheng.publish import rollback as restore

    serving = restore(settings.paths().serving)
    click.echo(f"restored the previous serving file at {serving}")


@main.command("serve-api")
@click.option("--port", type=int, default=8701, show_default=True)
def serve_api(port: int) -> None:
    """Serve the simulated smart assistance API in the foreground (for `dagster dev`)."""
    from sources.smart_assistance.server import serve_store

    token = os.environ.get("MINZHENG_SA_API_TOKEN") or secrets.token_urlsafe(24)
    store = settings.paths().sources / "smart_assistance" / "store.sqlite"
    with serve_store(store, token, port=port) as base_url:
        click.echo(f"serving {store} at {base_url}")
        click.echo(f"export MINZHENG_SA_API_URL={base_url} MINZHENG_SA_API_TOKEN={token}")
        with contextlib.suppress(KeyboardInterrupt):
            click.pause("press any key (or Ctrl-C) to stop")


@contextlib.contextmanager
def _single_run_lock(root: Path) -> Iterator[None]:
    """Two runs never build the warehouse at once."""
    try:
        with exclusive(root / ".run.lock", "a pipeline run"):
            yield
    except LockHeld as error:
        raise click.ClickException(str(error)) from error


@contextlib.contextmanager
def _smart_assistance_api(sources_dir: Path) -> Iterator[None]:
    """Serve the simulated platform on loopback unless a real one is configured."""
    if os.environ.get("MINZHENG_SA_API_URL"):
        yield
        return
    from sources.smart_assistance.server import serve_store

    token = secrets.token_urlsafe(24)
    with serve_store(sources_dir / "smart_assistance" / "store.sqlite", token) as base_url:
        os.environ["MINZHENG_SA_API_URL"] = base_url
        os.environ["MINZHENG_SA_API_TOKEN"] = token
        try:
            yield
        finally:
            del os.environ["MINZHENG_SA_API_URL"]
            del os.environ["MINZHENG_SA_API_TOKEN"]


def _as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") else date.fromisoformat(str(value))

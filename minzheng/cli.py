"""The `minzheng` command: simulate the sources, run the pipeline, export, roll back."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from minzheng import settings
from minzheng.locks import LockHeld, exclusive

T = TypeVar("T")
# Exit codes: 2 for input refused before anything was touched (click's usage errors), 1 for a
# run that failed, 130 when interrupted.
EXIT_REFUSED = 2


class Refused(click.ClickException):
    """A bad input, refused before anything was touched: one line, exit 2."""

    exit_code = EXIT_REFUSED


class _Cli(click.Group):
    """Errors as one line (`Error: ...`); a traceback only with `minzheng --debug ...`."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv
        try:
            result = super().main(argv, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help() if error.ctx else error.format_message(), err=True)
            sys.exit(EXIT_REFUSED)
        except click.UsageError as error:
            # click's usage errors say option, value and expected form already; without the
            # usage lines they are one line like every other refusal.
            _fail(error.format_message(), EXIT_REFUSED)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except (settings.ConfigurationError, LockHeld) as error:
            if debug:
                raise
            _fail(str(error), EXIT_REFUSED)
        except (KeyboardInterrupt, click.Abort):
            _fail("interrupted", 130)
        except Exception as error:
            if debug:
                raise
            _fail(f"{type(error).__name__}: {error} (run with --debug for the traceback)", 1)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {' '.join(message.split())}", err=True)
    sys.exit(code)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
def main(debug: bool) -> None:
    """Minzheng Warehouse (民政数据仓库): from source systems to KPI progress and reports.

    Data lives under $MINZHENG_DATA_DIR (default ./data).
    """


def _checked_environment(*, writable: bool = True) -> settings.Paths:
    """Every setting, and the data directory, checked before a command touches anything."""
    settings.validate()
    paths = settings.paths()
    if writable:
        _refuse_unwritable(paths.root)
    return paths


def _refuse_unwritable(root: Path) -> None:
    existing = root
    while not existing.exists():
        existing = existing.parent
    try:
        # A real write: permission bits say nothing about a read-only mount or for root.
        with tempfile.TemporaryFile(dir=existing, prefix=".minzheng-write-check-"):
            pass
    except OSError as error:
        raise Refused(
            f"MINZHENG_DATA_DIR={str(root)!r} is not writable ({error.strerror}): "
            "expected a folder this user can write"
        ) from error


@main.group(invoke_without_command=True)
@click.option(
    "--scale",
    default=None,
    help="1.0 = a city-year of the city profile; default $MINZHENG_SCALE or 1.0.",
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
    scale: str | None,
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

    paths = _checked_environment()
    chosen_scale = (
        settings.scale() if scale is None else _option(settings.check_scale, "--scale", scale)
    )
    first, last = _as_date(start), _as_date(end)
    if not date(2000, 1, 1) <= first <= last:
        raise Refused(
            f"--start {first} --end {last} is not valid: expected 2000-01-01 <= start <= end"
        )
    target = paths.sources
    with _single_run_lock(paths.root, "a pipeline run or simulation"):
        # The new world is built beside the old one; renames swap it in only when complete.
        summary = _build_beside(
            target,
            lambda folder: run_simulation(
                folder,
                scale=chosen_scale,
                seed=seed,
                start=first,
                end=last,
                progress=progress,
            ),
        )
        if reset:
            _remove_by_rename(paths.raw)
            paths.warehouse.unlink(missing_ok=True)
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

    paths = _checked_environment()
    if not (paths.sources / "_bookkeeping").exists():
        raise Refused(f"no simulated sources at {paths.sources}: run `minzheng simulate` first")
    try:
        # Not while a pipeline run reads the sources.
        with exclusive(paths.root / ".run.lock", "the data directory"):
            entry = run_advance(paths.sources, days=days, progress=progress)
    except LockHeld as error:
        raise Refused(str(error)) from error
    except AdvanceError as error:
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
    paths = _checked_environment()
    if not paths.sources.exists() and not os.environ.get("MINZHENG_SA_API_URL"):
        raise Refused(
            f"MINZHENG_DATA_DIR={str(paths.root)!r} holds no source systems: "
            "run `minzheng simulate` first, or set the MINZHENG_* source URLs"
        )
    from minzheng.alerts import append_alert
    from minzheng.run_summary import print_summary
    from orchestration.run import run_once

    began = time.monotonic()
    log_file = paths.logs / f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    with (
        _single_run_lock(paths.root),
        _smart_assistance_api(paths.sources),
        _stdout_to(log_file),
    ):
        outcome = _stoppable(lambda: run_once(log_level.upper(), full_refresh=full_refresh))
    outcome.elapsed_s = time.monotonic() - began
    outcome.log_file = log_file
    if not outcome.success:
        outcome.alert_log = append_alert(
            paths.alerts,
            run_id=outcome.run_id,
            job="minzheng run",
            failed_steps=[{"step": step, "error": reason} for step, reason in outcome.failed_steps]
            + [
                {"step": check, "error": "blocking check failed"} for check in outcome.failed_checks
            ],
        )
    print_summary(paths, outcome)
    if outcome.stopped:
        sys.exit(128 + signal.Signals[outcome.stopped].value)
    if not outcome.success:
        sys.exit(1)


def _stoppable(job: Callable[[], T]) -> T:
    """Run the job on a worker thread: SIGINT or SIGTERM asks it to stop between steps
    (minzheng.stopping); a second one ends the process at once."""
    from minzheng import stopping

    done: list[T] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            done.append(job())
        except BaseException as error:  # handed to the main thread as it is
            failed.append(error)

    def ask_to_stop(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if stopping.stop_requested():
            raise KeyboardInterrupt
        stopping.request_stop(name)
        click.echo(
            f"{name}: stopping once the step in progress has finished; serving stays as it is "
            "(send it again to stop at once)",
            err=True,
        )

    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, ask_to_stop) for number in handled}
    worker = threading.Thread(target=work, name="minzheng-run", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        stopping.clear()
    if failed:
        raise failed[0]
    return done[0]


@contextlib.contextmanager
def _stdout_to(log_file: Path) -> Iterator[None]:
    """The run's and dbt's output go to the run log; warnings and errors (stderr) stay here."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    saved = os.dup(1)
    with log_file.open("a", encoding="utf-8") as handle, contextlib.redirect_stdout(handle):
        # The file descriptor too: dbt writes from its own process.
        os.dup2(handle.fileno(), 1)
        try:
            yield
        finally:
            handle.flush()
            os.dup2(saved, 1)
            os.close(saved)


@main.command()
@click.option("--quarter", required=True, help="The quarter to report, e.g. 2024Q4.")
@click.option(
    "--allow-held",
    is_flag=True,
    help="Export even while KPIs of the quarter are held (数据暂停更新); the cover lists them.",
)
def export(quarter: str, allow_held: bool) -> None:
    """Write the provincial quarterly report from the published serving file."""
    from minzheng.export import HeldKpisError, Quarter, export_quarter, published_quarters

    paths = _checked_environment()
    try:
        chosen = Quarter.parse(quarter)
    except ValueError:
        raise Refused(
            f"--quarter {quarter!r} is not valid: expected a quarter such as 2024Q4"
        ) from None
    if not paths.serving.exists():
        raise Refused(f"nothing published yet at {paths.serving}: run `minzheng run` first")
    published = published_quarters(paths.serving)
    if chosen not in published:
        accepted = f"{published[0].label} to {published[-1].label}" if published else "none"
        raise Refused(
            f"--quarter {quarter!r} is not in the serving file: expected a quarter it holds "
            f"({accepted})"
        )
    try:
        result = export_quarter(paths.serving, paths.exports, chosen, allow_held=allow_held)
    except HeldKpisError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"exported {result.rows} rows to {result.directory}")
    for path in (result.workbook, result.csv, result.manifest):
        click.echo(f"  {path.name}")


@main.command()
@click.option("--list", "listing", is_flag=True, help="Only list the kept serving files.")
def rollback(listing: bool) -> None:
    """Serve the file published before the one served now (the kept history of serving files).

    Each call steps one publication further back; the next run publishes anew.
    """
    from minzheng.publish import NothingToRollBackTo, kept_files, publication
    from minzheng.publish import rollback as step_back

    paths = _checked_environment()
    if listing:
        served = publication(paths.serving)
        for path in kept_files(paths.serving):
            kept = publication(path)
            mark = "*" if kept is not None and kept == served else " "
            click.echo(f"{mark} {kept.describe() if kept else '(unknown run)'}  {path}")
        return
    if not paths.serving.exists():
        raise Refused(f"nothing to roll back to: nothing published yet at {paths.serving}")
    try:
        with _single_run_lock(paths.root):
            stepped = step_back(paths.serving)
    except NothingToRollBackTo as error:
        raise Refused(f"nothing to roll back to: {error}") from error
    click.echo(f"now serving {stepped.served.describe()} (was {stepped.replaced.describe()})")


@main.command()
@click.option("--check", is_flag=True, help="Only say which generated files are out of date.")
def generate(check: bool) -> None:
    """Write dbt's sources and the raw-zone docs from the entity registries."""
    from minzheng.generate import stale_files, write_all

    if check:
        stale = stale_files()
        for path in stale:
            click.echo(f"out of date: {path.relative_to(settings.PROJECT_ROOT)}")
        if stale:
            raise click.ClickException("run `minzheng generate`")
        return
    for path in write_all():
        click.echo(f"wrote {path.relative_to(settings.PROJECT_ROOT)}")


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
def _single_run_lock(root: Path, what: str = "a pipeline run") -> Iterator[None]:
    """Two runs never build the warehouse at once."""
    try:
        lock = exclusive(root / ".run.lock", what)
        lock.__enter__()
    except LockHeld as error:
        raise Refused(f"{error}: wait for it to finish") from error
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _option(check: Callable[[str, str], T], name: str, value: object) -> T:
    try:
        return check(str(value), name)
    except settings.ConfigurationError as error:
        # The same wording for an option as for the setting it overrides.
        raise Refused(str(error).replace("=", " ", 1)) from error


def _build_beside(target: Path, build: Callable[[Path], T]) -> T:
    """Build a folder's replacement beside it and swap it in by renames only once complete."""
    for leftover in target.parent.glob(f".{target.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staged = target.with_name(f".{target.name}.new-{os.getpid()}")
    try:
        result = build(staged)
        _remove_by_rename(target)
        os.replace(staged, target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return result


def _remove_by_rename(folder: Path) -> None:
    """Rename first, then delete: an interrupted delete leaves no half folder in its place."""
    if not folder.exists():
        return
    doomed = folder.with_name(f".{folder.name}.old-{os.getpid()}")
    shutil.rmtree(doomed, ignore_errors=True)
    os.replace(folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


@contextlib.contextmanager
def _smart_assistance_api(sources_dir: Path) -> Iterator[None]:
    """Serve the simulated platform on loopback unless a real one is configured."""
    if os.environ.get("MINZHENG_SA_API_URL"):
        yield
        return
    from sources.smart_assistance.server import serve_store_in_child

    token = secrets.token_urlsafe(24)
    store = sources_dir / "smart_assistance" / "store.sqlite"
    with serve_store_in_child(store, token) as base_url:
        os.environ["MINZHENG_SA_API_URL"] = base_url
        os.environ["MINZHENG_SA_API_TOKEN"] = token
        try:
            yield
        finally:
            del os.environ["MINZHENG_SA_API_URL"]
            del os.environ["MINZHENG_SA_API_TOKEN"]


def _as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") else date.fromisoformat(str(value))

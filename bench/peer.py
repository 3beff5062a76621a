"""The peer comparison: the heaviest mart and KPI selects on DuckDB and on PostgreSQL.

Both engines read the same rows: the tables each query reads (staging views included) are
materialised from the built warehouse into a DuckDB file of the benchmark's own, written to CSV and
COPY'd into a throwaway PostgreSQL cluster (bench/postgres.py), then ANALYZEd. Each query (a
model's compiled select from the bench's own dbt build, ``bench/peer_sql.py``) runs unchanged on
both, materialised into a temporary table as dbt would build it (so that neither engine can skip
work the result does not show): one warm-up, then ``repeat`` timed runs; the figure is the median.

Resources are set on purpose and reported: DuckDB gets every core, a memory limit and a spill
folder; PostgreSQL gets the same cores (leader + parallel workers), that memory as shared
buffers, and sort/hash memory sized for analytics (see ``EngineSettings``).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from bench.peer_sql import compiled_models, plain_names, portable
from bench.postgres import copy_csv, create_table_sql, throwaway_cluster

# The heaviest mart and KPI models (chosen from the slowest in dbt's run_results.json, and by their
# own time on materialised inputs).
PEER_MODELS = (
    "fct_community_facility_monthly",
    "fct_special_difficulty_visits_monthly",
    "fct_subsidy_payments",
    "kpi_measure__ec06",
    "kpi_progress",
)
WAREHOUSE_SCHEMAS = ("staging", "conformed", "marts", "kpi", "seeds", "quarantine")
_TABLE = re.compile(r"\b(" + "|".join(WAREHOUSE_SCHEMAS) + r")\.([a-z_][a-z0-9_]*)\b")
# The PostgreSQL settings the report shows (SHOW), besides the ones set here.
REPORTED_POSTGRES = [
    "shared_buffers",
    "work_mem",
    "temp_buffers",
    "effective_cache_size",
    "max_parallel_workers_per_gather",
    "max_parallel_workers",
    "jit",
]


@dataclass(frozen=True)
class PeerQuery:
    name: str
    sql: str
    adaptations: tuple[str, ...] = ()

    @property
    def reads(self) -> list[str]:
        """The warehouse tables the query reads (schema.table), comments left out."""
        code = "\n".join(line.split("--", 1)[0] for line in self.sql.splitlines())
        return sorted({f"{schema}.{table}" for schema, table in _TABLE.findall(code)})

    @property
    def body(self) -> str:
        return self.sql.strip().rstrip(";")


def peer_queries(target: Path, models: tuple[str, ...] = PEER_MODELS) -> list[PeerQuery]:
    """The models' compiled selects from a dbt target folder, portable to both engines."""
    compiled = compiled_models(target)
    missing = [name for name in models if name not in compiled]
    if missing:
        raise ValueError(f"the dbt build compiled no {', '.join(missing)} in {target}")
    queries = []
    for name in models:
        sql, notes = portable(plain_names(compiled[name]["compiled_code"]))
        queries.append(PeerQuery(name, sql, tuple(notes)))
    return queries


@dataclass(frozen=True)
class EngineSettings:
    """One resource budget, expressed in each engine's own settings."""

    cores: int
    memory_mib: int
    temp_directory: Path

    @classmethod
    def for_machine(cls, cores: int, memory_mib: int, temp_directory: Path) -> EngineSettings:
        # A quarter of the machine's memory, at most 4 GiB: the same budget for both engines.
        return cls(cores, min(memory_mib // 4, 4096), temp_directory)

    def duckdb(self) -> dict[str, Any]:
        return {
            "threads": str(self.cores),
            "memory_limit": f"{self.memory_mib}MiB",
            "temp_directory": str(self.temp_directory),
        }

    def postgres(self) -> dict[str, str]:
        work_mem = max(64, self.memory_mib // 16)
        return {
            "shared_buffers": f"{self.memory_mib}MB",
            "effective_cache_size": f"{self.memory_mib * 2}MB",
            "work_mem": f"{work_mem}MB",
            "temp_buffers": f"{work_mem}MB",
            "maintenance_work_mem": f"{max(64, self.memory_mib // 4)}MB",
            # The leader works too: leader + (cores - 1) workers keep every core busy.
            "max_parallel_workers_per_gather": str(max(self.cores - 1, 0)),
            "max_parallel_workers": str(self.cores),
            "max_worker_processes": str(max(self.cores, 8)),
        }


def median_seconds(run: Callable[[], int], repeat: int) -> tuple[float, int, list[float]]:
    """One untimed warm-up, then ``repeat`` timed runs: (median, rows of the result, samples)."""
    rows = run()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        samples.append(round(time.perf_counter() - started, 4))
    return round(statistics.median(samples), 4), rows, samples


def materialise(warehouse: Path, target: Path, tables: list[str], settings: EngineSettings) -> int:
    """The tables (views materialised) the queries read, copied into a DuckDB file of our own."""
    from minzheng import settings as project_settings
    from minzheng.warehouse_plugin import register_udfs

    target.unlink(missing_ok=True)
    settings.temp_directory.mkdir(parents=True, exist_ok=True)
    rows = 0
    with duckdb.connect(str(target), config=settings.duckdb()) as connection:
        # Staging views pseudonymise person IDs as they are read, as in the warehouse.
        register_udfs(connection, project_settings.pii_key())
        connection.execute(f"attach '{_quoted(warehouse)}' as warehouse (read_only)")
        for qualified in tables:
            schema, _ = qualified.split(".")
            connection.execute(f"create schema if not exists {schema}")
            connection.execute(f"create table {qualified} as select * from warehouse.{qualified}")
            counted = connection.execute(f"select count(*) from {qualified}").fetchone()
            rows += int(counted[0]) if counted else 0
        connection.execute("detach warehouse")
        connection.execute("checkpoint")
    return rows


def load_postgres(
    pg: Any, duck: duckdb.DuckDBPyConnection, tables: list[str], csv_dir: Path
) -> None:
    """CSV out of DuckDB, COPY into PostgreSQL (created in the load's transaction), ANALYZE."""
    csv_dir.mkdir(parents=True, exist_ok=True)
    with pg.transaction():
        for qualified in tables:
            schema, table = qualified.split(".")
            columns = duck.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            csv_path = csv_dir / f"{qualified}.csv"
            duck.execute(
                f"copy (select * from {qualified}) to '{_quoted(csv_path)}' (format csv, header)"
            )
            pg.execute(f"create schema if not exists {schema}")
            pg.execute(create_table_sql(qualified, [(str(n), str(k)) for n, k in columns]))
            copy_csv(pg, qualified, csv_path)
            csv_path.unlink()
    pg.execute("analyze")


def _duckdb_runner(connection: duckdb.DuckDBPyConnection, sql: str) -> Callable[[], int]:
    def run() -> int:
        connection.execute(f"create or replace temp table peer_result as\n{sql}")
        counted = connection.execute("select count(*) from peer_result").fetchone()
        connection.execute("drop table peer_result")
        return int(counted[0]) if counted else 0

    return run


def _postgres_runner(connection: Any, sql: str) -> Callable[[], int]:
    def run() -> int:
        connection.execute("drop table if exists peer_result")
        connection.execute(f"create temp table peer_result as\n{sql}")
        counted = connection.execute("select count(*) from peer_result").fetchone()
        connection.execute("drop table peer_result")
        return int(counted[0]) if counted else 0

    return run


def compare(
    warehouse: Path,
    workdir: Path,
    settings: EngineSettings,
    queries: list[PeerQuery],
    repeat: int = 5,
) -> dict[str, Any]:
    """Every peer query on both engines; a query either engine cannot run says why."""
    chosen = queries
    tables = sorted({table for query in chosen for table in query.reads})
    workdir.mkdir(parents=True, exist_ok=True)
    peer_file = workdir / "peer.duckdb"

    started = time.perf_counter()
    rows = materialise(warehouse, peer_file, tables, settings)
    duckdb_load = time.perf_counter() - started

    result: dict[str, Any] = {"tables": tables, "rows_loaded": rows, "repeat": repeat}
    with (
        duckdb.connect(str(peer_file), config=settings.duckdb()) as duck,
        throwaway_cluster(settings.postgres()) as cluster,
        cluster.connect(autocommit=True) as pg,
    ):
        started = time.perf_counter()
        load_postgres(pg, duck, tables, workdir / "csv")
        postgres_load = time.perf_counter() - started
        duck_settings = duck.execute(
            "select current_setting('threads'), current_setting('memory_limit'),"
            " current_setting('temp_directory')"
        ).fetchone()
        assert duck_settings is not None
        threads, memory_limit, temp_directory = duck_settings
        result["duckdb"] = {
            "version": duckdb.__version__,
            "settings": {
                "threads": threads,
                "memory_limit": memory_limit,
                # Relative to the scale's data folder: a result names no machine's paths.
                "temp_directory": "<scale data>/"
                + Path(temp_directory).relative_to(workdir.parent).as_posix(),
            },
            "load_seconds": round(duckdb_load, 2),
        }
        result["postgres"] = {
            "version": cluster.server_version(),
            "settings": cluster.show(REPORTED_POSTGRES),
            "load_seconds": round(postgres_load, 2),
            "os_user": cluster.os_user or "(current user)",
        }
        result["queries"] = [_compare_one(query, duck, pg, repeat) for query in chosen]
    peer_file.unlink(missing_ok=True)
    return result


def _compare_one(query: PeerQuery, duck: Any, pg: Any, repeat: int) -> dict[str, Any]:
    figure: dict[str, Any] = {"name": query.name, "reads": query.reads}
    if query.adaptations:
        figure["adapted"] = list(query.adaptations)
    try:
        duck_median, duck_rows, duck_samples = median_seconds(
            _duckdb_runner(duck, query.body), repeat
        )
    except duckdb.Error as error:
        return {**figure, "not_measured": f"DuckDB cannot run it: {_first_line(error)}"}
    try:
        pg_median, pg_rows, pg_samples = median_seconds(_postgres_runner(pg, query.body), repeat)
    except Exception as error:  # psycopg.Error: the driver is imported lazily
        return {**figure, "not_measured": f"PostgreSQL cannot run it: {_first_line(error)}"}
    figure.update(
        {
            "duckdb_seconds": duck_median,
            "postgres_seconds": pg_median,
            "postgres_over_duckdb": round(pg_median / max(duck_median, 1e-6), 1),
            "rows": duck_rows,
            "duckdb_samples": duck_samples,
            "postgres_samples": pg_samples,
        }
    )
    if pg_rows != duck_rows:
        figure["warning"] = f"results differ: {duck_rows} rows on DuckDB, {pg_rows} on PostgreSQL"
    return figure


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")

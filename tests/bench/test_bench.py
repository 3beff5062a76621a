"""The benchmark's own code, fast: the PostgreSQL peer on a tiny warehouse, and the table it writes
when figures are missing. `make bench` itself (minutes to hours) stays out of `make test`."""

from __future__ import annotations

import ast
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bench import measure, peer_sql, report, run
from bench.peer import PEER_MODELS, EngineSettings, PeerQuery, compare, peer_queries
from bench.postgres import postgres_type, throwaway_cluster
from bench.superset import percentile
from minzheng import settings


def test_throwaway_cluster_runs_a_query_and_leaves_nothing() -> None:
    with throwaway_cluster({"work_mem": "8MB"}) as cluster:
        root = cluster.root
        assert (root / "data" / "PG_VERSION").exists()
        with cluster.connect(autocommit=True) as connection:
            connection.execute("create table tiny (region text, amount numeric(12,2))")
            connection.execute("insert into tiny values ('321202', 1.50), ('321202', 2.25)")
            row = connection.execute("select region, sum(amount) from tiny group by 1").fetchone()
            assert row is not None and (row[0], float(row[1])) == ("321202", 3.75)
        assert cluster.show(["work_mem", "listen_addresses"]) == {
            "work_mem": "8MB",
            "listen_addresses": "",
        }
    assert not root.exists()


def test_peer_comparison_on_a_tiny_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINZHENG_PII_KEY", "bench-test-key")
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            """
            create table marts.fct_payments as
            select
                cast(i as bigint) as payment_id,
                case when i % 3 = 0 then '321202' else '321203' end as county_code,
                cast(i * 1.25 as decimal(12, 2)) as amount,
                i % 7 = 0 as is_duplicate,
                date '2024-01-01' + cast(i % 365 as integer) as paid_date,
                case when i % 11 = 0 then null else '补贴' end as subsidy_type
            from range(1, 2001) as t(i)
            """
        )
        connection.execute("create view marts.v_payments as select * from marts.fct_payments")
    queries = [
        PeerQuery(
            "monthly",
            "-- marts.not_read is in a comment only\n"
            "select county_code, cast(date_trunc('month', paid_date) as date) as period_month,\n"
            "    sum(amount) as amount, count(subsidy_type) as typed\n"
            "from marts.v_payments where not is_duplicate group by 1, 2",
        ),
        PeerQuery("duckdb_only", "select list_value(1, 2) as pair from marts.fct_payments"),
    ]
    assert queries[0].reads == ["marts.v_payments"]
    engine = EngineSettings.for_machine(2, 4096, tmp_path / "spill")
    assert engine.duckdb()["memory_limit"] == "1024MiB"
    assert engine.postgres()["max_parallel_workers_per_gather"] == "1"

    result = compare(warehouse, tmp_path / "peer", engine, queries, repeat=2)

    monthly, duckdb_only = result["queries"]
    assert monthly["rows"] == 24 and "warning" not in monthly
    assert len(monthly["postgres_samples"]) == 2
    assert monthly["postgres_over_duckdb"] > 0
    assert duckdb_only["not_measured"].startswith("PostgreSQL cannot run it")
    assert result["rows_loaded"] == 4000  # both tables read, the view materialised
    assert result["postgres"]["settings"]["work_mem"] == "64MB"
    assert result["duckdb"]["settings"]["threads"] == 2


def test_the_peer_models_are_mart_and_kpi_models_of_the_project() -> None:
    models = settings.DBT_PROJECT_DIR / "models"
    for name in PEER_MODELS:
        (path,) = list(models.rglob(f"{name}.sql"))
        assert path.relative_to(models).parts[0] in {"marts", "kpi"}, name


@pytest.mark.parametrize(
    ("duckdb_type", "expected"),
    [
        ("VARCHAR", "text"),
        ("DECIMAL(12,2)", "numeric(12,2)"),
        ("HUGEINT", "numeric"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("BOOLEAN", "boolean"),
    ],
)
def test_postgres_types(duckdb_type: str, expected: str) -> None:
    assert postgres_type(duckdb_type) == expected


def test_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError, match="VARCHAR\\[\\]"):
        postgres_type("VARCHAR[]")


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 21)]
    assert percentile(samples, 0.95) == 19.0
    assert percentile(samples, 0.5) == 10.0
    assert percentile([3.0], 0.95) == 3.0


def _machine() -> dict[str, Any]:
    return {
        "cores": 2,
        "memory_gib": 8.0,
        "python": "3.11.7",
        "duckdb": "2.0.1",
        "dbt_core": "1.11.0",
        "dagster": "1.13.27",
        "postgres": "not installed",
        "superset": "not installed",
        "pipeline_duckdb_settings": {
            "source": "defaults",
            "threads": 2,
            "memory_limit": "6.2 GiB",
            "temp_directory": "<database>.tmp beside each database file",
            "dbt_threads": 2,
        },
    }


def _stage(seconds: float) -> dict[str, float]:
    return {"seconds": seconds, "peak_rss_mb": 200.0}


def _complete_scale(scale: float, factor: float) -> dict[str, Any]:
    stages = {name: _stage(10.0 * factor) for name in [*report.STAGES, "floor"]}
    stages["floor"] = _stage(0.5 * factor)
    runs = {
        "full_run": _stage(60.0 * factor),
        "advance": {"seconds": 3.0},
        "night_run": _stage(20.0 * factor),
    }
    peer = {
        "tables": ["marts.fct_a"],
        "rows_loaded": 1234,
        "repeat": 5,
        "duckdb": {
            "version": "2.0.1",
            "settings": {"threads": 2, "memory_limit": "2.0 GiB"},
            "load_seconds": 0.4,
        },
        "postgres": {
            "version": "15.18",
            "settings": {"shared_buffers": "2GB", "jit": "on"},
            "load_seconds": 1.2,
            "os_user": "postgres",
        },
        "queries": [
            {
                "name": "fct_a",
                "duckdb_seconds": 0.1,
                "postgres_seconds": 0.9,
                "postgres_over_duckdb": 9.0,
                "rows": 10,
            },
            {"name": "kpi_b", "not_measured": "PostgreSQL cannot run it: syntax error"},
        ],
    }
    return {
        "scale": scale,
        "raw_rows": int(1000 * factor),
        "stages": stages,
        "dbt_build_over_floor": measure.ratio(
            stages["dbt_build"], stages["floor"], ("dbt build", "floor scan"), 1
        ),
        "spark_over_duckdb": {"value": 3.2},
        "orchestration_overhead": {"value": 1.0},
        "heaviest_models": [{"model": "fct_a", "seconds": 1.5}],
        "runs": runs,
        "incremental": measure.ratio(runs["night_run"], runs["full_run"], ("night", "full"), 3),
        "night_stages": {
            "extract": _stage(4.0 * factor),
            "checks": _stage(3.0 * factor),
            "dagster_build": _stage(9.0 * factor),
            "publish": _stage(1.0),
            "export": measure.missing("the run recorded no export step"),
            "run_outside_steps": {"seconds": 2.0},
        },
        "peer": peer,
        "superset": {
            "dashboards": 6,
            "charts": 118,
            "requests": 354,
            "repeat": 3,
            "p50_seconds": 0.3,
            "p95_seconds": 0.6,
        },
    }


def _scale_with_gaps() -> dict[str, Any]:
    stages: dict[str, Any] = {name: _stage(5.0) for name in report.STAGES}
    stages["dagster_build"] = measure.missing("dagster_build failed (exit 1, see bench.log)")
    stages["floor"] = _stage(0.2)
    return {
        "scale": 0.01,
        "raw_rows": 500,
        "stages": stages,
        "dbt_build_over_floor": measure.ratio(
            stages["dbt_build"], stages["floor"], ("dbt build", "floor scan"), 1
        ),
        "orchestration_overhead": measure.ratio(
            stages["dagster_build"], stages["dbt_build"], ("Dagster build", "dbt build"), 2
        ),
        "heaviest_models": measure.missing("the bare dbt build wrote no run_results.json"),
        "runs": {
            "full_run": _stage(30.0),
            "advance": measure.missing(
                "`minzheng simulate advance --days 1` failed: no such command"
            ),
            "night_run": measure.missing(
                "`minzheng simulate advance --days 1` failed: no such command"
            ),
        },
        "incremental": measure.missing(
            "`minzheng simulate advance --days 1` failed: no such command"
        ),
        "night_stages": measure.missing("the night did not run"),
        "peer": measure.missing("PostgresUnavailable: no PostgreSQL server binaries (initdb)"),
        "superset": measure.missing(
            "Superset's environment is not installed (make superset-setup)"
        ),
    }


def test_table_says_why_each_missing_figure_is_missing() -> None:
    scales = [_scale_with_gaps()]
    run.with_scaling(scales)
    table = report.markdown({"date": "2026-01-01", "machine": _machine(), "scales": scales})
    lines = {
        line.split(" | ")[0].lstrip("| "): line
        for line in table.splitlines()
        if line.startswith("| ")
    }

    assert "not measured: dagster_build failed" in lines[report.STAGE_LABELS["dagster_build"]]
    assert (
        "not measured: Dagster build not measured"
        in lines["**orchestration overhead** (Dagster build ÷ bare dbt build)"]
    )
    assert "25.0" in lines["**dbt build ÷ floor scan**"]
    assert "30.0 s / 200 MiB" in lines["full run (`minzheng run`, empty raw zone)"]
    assert (
        "not measured: `minzheng simulate advance"
        in lines["**incremental** (one-day night ÷ full run)"]
    )
    assert (
        "not measured: PostgresUnavailable"
        in lines["**PostgreSQL ÷ DuckDB** (heaviest mart/KPI selects)"]
    )
    superset = next(v for k, v in lines.items() if k.startswith("**Superset chart data**"))
    assert "not measured: Superset's environment is not installed" in superset
    scaling = next(v for k, v in lines.items() if k.startswith("**scaling**"))
    assert "not measured: one scale only" in scaling
    # Every figure has its row, measured or not; facts and settings follow the table.
    assert (
        len([line for line in table.splitlines() if line.startswith("| ")])
        == 1 + 1 + 10 + 3 + 5 + 1 + 1 + 1
    )
    assert "**Spark ÷ DuckDB** (spark_build ÷ dbt_build, the same raw zone)" in lines
    assert "PostgreSQL not installed, Superset not installed" in table
    assert "memory_limit=6.2 GiB" in table


def test_table_with_every_figure_and_two_scales() -> None:
    scales = [_complete_scale(1.0, 1.0), _complete_scale(19.0, 20.0)]
    run.with_scaling(scales)
    table = report.markdown({"date": "2026-01-01", "machine": _machine(), "scales": scales})

    assert "| figure | scale 1 | scale 19 |" in table
    assert "**0.333**" in table  # one-day night ÷ full run
    assert "| 4.0 / 3.0 / 9.0 / 1.0 / – / 2.0 s | 80.0 / 60.0 / 180.0 / 1.0 / – / 2.0 s |" in table
    assert "**9.0** (0.900 s / 0.100 s)" in table
    assert "not measured: PostgreSQL cannot run it: syntax error" in table
    assert "**0.30 s / 0.60 s** (118 charts on 6 dashboards × 3)" in table
    assert "| baseline | **time ×20.0 for rows ×20.0** (vs scale 1; full run) |" in table
    assert "shared_buffers=2GB, jit=on" in table
    assert "fct_a 1.5 s" in table
    assert "not measured" not in table.replace("not measured: PostgreSQL cannot run it", "")


def test_scaling_says_why_without_both_full_runs() -> None:
    small, large = _complete_scale(1.0, 1.0), _complete_scale(19.0, 20.0)
    assert run.scaling(small, large)["time_ratio"] == 20.0
    large["runs"]["full_run"] = measure.missing("the full run failed")
    assert run.scaling(small, large) == measure.missing(
        "the full run was not measured at both scales"
    )


def test_a_runs_steps_are_its_stages_with_the_sampled_peak_inside_them(tmp_path: Path) -> None:
    import dagster as dg

    def sleeping(name: str, seconds: float) -> dg.OpDefinition:
        @dg.op(name=name)
        def _step() -> None:
            time.sleep(seconds)

        return _step

    @dg.job
    def nightly() -> None:
        sleeping("raw__src__entity", 0.3)()
        sleeping("raw__src__entity_source_contract", 0.1)()
        sleeping("warehouse_models", 0.2)()
        sleeping("serving__minzheng", 0.1)()

    home = tmp_path / "dagster_home"
    home.mkdir()
    started = time.time()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert nightly.execute_in_process(instance=instance).success
        steps = instance.get_run_step_stats(instance.get_run_records(limit=1)[0].dagster_run.run_id)
    spans = {step.step_key: (step.start_time or 0.0, step.end_time or 0.0) for step in steps}
    warehouse_start, warehouse_end = spans["warehouse_models"]
    # One sample inside the build step, one outside every step.
    samples = [((warehouse_start + warehouse_end) / 2, 900.0), (started - 1.0, 5000.0)]

    stages = run.run_stages(home, started, {"seconds": 10.0}, samples)

    assert stages["extract"]["steps"] == 1 and stages["extract"]["seconds"] >= 0.3
    assert stages["checks"]["steps"] == 1
    assert stages["dagster_build"]["peak_rss_mb"] == 900.0
    assert "peak_rss_mb" not in stages["extract"]
    assert stages["publish"]["steps"] == 1
    assert stages["export"] == measure.missing("the run recorded no export step")
    in_steps = sum(
        f["seconds"] for n, f in stages.items() if n != "run_outside_steps" and "seconds" in f
    )
    assert stages["run_outside_steps"]["seconds"] == pytest.approx(10.0 - in_steps, abs=0.01)


def test_the_sampled_peak_counts_every_process_of_the_tree(tmp_path: Path) -> None:
    # A parent that holds little starts a child that holds 300 MiB for a moment.
    child = "x = bytearray(300 * 2**20); import time; time.sleep(1.5)"
    argv = [
        sys.executable,
        "-c",
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])",
    ]
    samples: list[tuple[float, float]] = []
    figure = measure.measure(argv, dict(os.environ), tmp_path / "bench.log", "tree", samples)
    assert len(samples) >= 3
    assert max(mib for _, mib in samples) >= 300
    assert figure["peak_rss_mb"] >= 300


def test_readme_section_is_replaced_between_its_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nintro\n", encoding="utf-8")
    report.update_readme(readme, "| a |\n", ["2026-01-01-0.02.json"])
    report.update_readme(readme, "| b |\n", ["2026-01-02-0.02.json"])
    text = readme.read_text(encoding="utf-8")
    assert text.count(report.START) == 1 and text.count("## Benchmark") == 1
    assert "| b |" in text and "| a |" not in text
    assert text.startswith("# Title\n\nintro\n")


def test_make_bench_reaches_main_with_every_function_defined() -> None:
    # `python -m bench.run` calls main() where the __main__ guard stands: a function defined
    # below it does not exist yet (a NameError after an hour's measuring, nothing written).
    module = ast.parse(Path(run.__file__).read_text(encoding="utf-8"))
    last = module.body[-1]
    assert isinstance(last, ast.If) and ast.unparse(last.test) == "__name__ == '__main__'"


def _target(folder: Path, compiled: dict[str, str]) -> Path:
    folder.mkdir()
    results = [
        {"unique_id": f"model.minzheng.{name}", "execution_time": 1.0, "compiled_code": code}
        for name, code in compiled.items()
    ]
    nodes = {
        f"model.minzheng.{name}": {
            "fqn": ["minzheng", "marts", "area", name],
            "original_file_path": f"models/marts/area/{name}.sql",
        }
        for name in compiled
    }
    (folder / "run_results.json").write_text(json.dumps({"results": results}), encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    return folder


def test_peer_queries_are_the_compiled_models_portable_to_both_engines(tmp_path: Path) -> None:
    compiled = (
        "-- a comment naming marts.not_read\n"
        "select county_code, cast(count(*) as double) as n\n"
        'from "warehouse"."marts"."fct_a" group by 1'
    )
    target = _target(tmp_path / "target", {"fct_a": compiled, "fct_b": "select 1"})
    (query,) = peer_queries(target, ("fct_a",))
    assert query.name == "fct_a"
    assert query.reads == ["marts.fct_a"]
    assert '"warehouse"' not in query.sql
    assert "as double precision" in query.sql
    assert query.adaptations == ("cast(… as double) as cast(… as double precision) (1×)",)
    with pytest.raises(ValueError, match="compiled no fct_gone"):
        peer_queries(target, ("fct_a", "fct_gone"))
    assert run.heaviest_models(target)[0] == {"model": "fct_a", "seconds": 1.0}


def test_a_failed_process_is_reported_by_its_first_error(tmp_path: Path) -> None:
    log = tmp_path / "bench.log"
    argv = [sys.executable, "-c", "import sys; print('working'); sys.exit('KeyError: test.x')"]
    with pytest.raises(measure.StageFailed, match=r"exit 1: KeyError: test.x"):
        measure.measure(argv, dict(os.environ), log, "stage")
    figure = measure.measure([sys.executable, "-c", "pass"], dict(os.environ), log, "fine")
    assert figure["seconds"] > 0 and figure["peak_rss_mb"] > 0


def test_duckdb_only_spellings_are_rewritten_for_both_engines() -> None:
    sql = (
        "select cast(floor(date_diff('month', r.birth_month, c.period_end) / 12) as integer),"
        " cast(n as double), cast(m as double precision) from r, c"
    )
    rewritten, notes = peer_sql.portable(sql)
    assert "date_diff" not in rewritten and len(notes) == 2
    assert "cast(n as double precision)" in rewritten
    assert "double precision precision" not in rewritten
    with duckdb.connect() as connection:
        connection.execute("create table r as select date '1964-07-15' as birth_month")
        connection.execute(
            "create table c as select date '2024-06-30' as period_end, 1 as n, 2 as m"
        )
        original = connection.execute(sql).fetchone()
        assert original is not None and original[0] == 59
        assert connection.execute(rewritten).fetchone() == original

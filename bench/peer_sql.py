"""The peer queries as files: taken from dbt's compiled SQL, fingerprinted, refreshed on demand.

A file in ``bench/sql/peer/`` is the compiled select of one dbt model with the warehouse's
database qualifier dropped (``"warehouse"."marts"."fct_x"`` → ``marts.fct_x``), so that the same
text runs on DuckDB and on PostgreSQL. Its head names the model and the fingerprint of the
compiled SQL it was taken from; where a model's SQL had to be adapted to run on both engines,
the file says so below that head and keeps the fingerprint of the model's own SQL.

``python -m bench.peer_sql refresh [MODEL ...]`` compiles the models (all current peer models when
none is named) against an empty scratch warehouse, so incremental models compile as full builds,
with the bench's as-of date, and rewrites their files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from bench import DATA_AS_OF
from bench.peer import PEER_SQL, PeerQuery, peer_queries
from minzheng import settings

_QUALIFIED = re.compile(r'"[^"]+"\."([A-Za-z0-9_]+)"\."([A-Za-z0-9_]+)"')
# dbt.datediff(..., 'month') on DuckDB; PostgreSQL has no date_diff. Months between two dates as
# both engines count them (month boundaries crossed), from extract() that both have.
_MONTH_DIFF = re.compile(r"date_diff\('month',\s*([\w.]+),\s*([\w.]+)\)")
_MONTHS = (
    r"((extract(year from \2) - extract(year from \1)) * 12"
    r" + extract(month from \2) - extract(month from \1))"
)


def plain_names(compiled: str) -> str:
    """Drop the database from three-part names: the tables as schema.table on every engine."""
    return _QUALIFIED.sub(r"\1.\2", compiled)


# DuckDB's `double` is PostgreSQL's `double precision`, which DuckDB also accepts.
_DOUBLE = re.compile(r"\bas double\b(?! precision)", re.IGNORECASE)


def portable(sql: str) -> tuple[str, list[str]]:
    """The SQL with DuckDB-only spellings rewritten for both engines, and what was rewritten."""
    notes = []
    sql, count = _MONTH_DIFF.subn(_MONTHS, sql)
    if count:
        notes.append(f"date_diff('month', a, b) as extract() arithmetic ({count}×)")
    sql, count = _DOUBLE.subn("as double precision", sql)
    if count:
        notes.append(f"cast(… as double) as cast(… as double precision) ({count}×)")
    return sql, notes


def fingerprint(compiled: str) -> str:
    """What the SQL does, ignoring comments, layout and the database name."""
    code = "\n".join(line.split("--", 1)[0] for line in plain_names(compiled).splitlines())
    return hashlib.sha256(" ".join(code.lower().split()).encode("utf-8")).hexdigest()[:12]


def compiled_models(target: Path) -> dict[str, dict[str, Any]]:
    """Model name -> {path, compiled_code} from a dbt target folder (run_results + manifest)."""
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    found = {}
    for result in results:
        unique_id = result["unique_id"]
        if unique_id.startswith("model.") and result.get("compiled_code"):
            node = manifest.get(unique_id, {})
            fqn = node.get("fqn") or []
            found[unique_id.split(".")[-1]] = {
                "path": str(node.get("original_file_path", "")).removeprefix("models/"),
                "layer": fqn[1] if len(fqn) > 2 else "",
                "compiled_code": result["compiled_code"],
            }
    return found


def stale(queries: list[PeerQuery], target: Path) -> dict[str, str]:
    """Peer files whose model no longer compiles to the SQL they were taken from."""
    if not (target / "run_results.json").exists():
        return {}
    compiled = compiled_models(target)
    found = {}
    for query in queries:
        model = compiled.get(query.name)
        if model is None:
            found[query.name] = "its model was not built"
        elif fingerprint(model["compiled_code"]) != query.header.get("compiled"):
            found[query.name] = (
                f"bench/sql/peer/{query.name}.sql predates the model's current SQL "
                "(python -m bench.peer_sql refresh)"
            )
    return found


def render(name: str, path: str, compiled: str) -> str:
    sql, notes = portable(plain_names(compiled))
    head = [
        f"-- model: {path}",
        f"-- compiled: {fingerprint(compiled)}",
        f"-- Peer query: dbt model {name}, compiled, its tables named schema.table;",
        "-- the same text runs on DuckDB and on PostgreSQL (bench/peer.py).",
        *[f"-- Adapted to run on both: {note}." for note in notes],
        "--",
    ]
    return "\n".join(head) + "\n" + sql.strip() + "\n"


def compile_models(models: list[str], target: Path) -> None:
    """dbt compile of the models into target, against an empty scratch warehouse."""
    with tempfile.TemporaryDirectory(prefix="minzheng-peer-") as scratch:
        env = {**os.environ, "MINZHENG_DATA_DIR": scratch, "MINZHENG_DATA_AS_OF": DATA_AS_OF}
        subprocess.run(
            [
                str(Path(sys.executable).with_name("dbt")),
                "compile",
                "--quiet",
                "--project-dir",
                str(settings.DBT_PROJECT_DIR),
                "--profiles-dir",
                str(settings.DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--log-path",
                str(Path(scratch) / "logs"),
                "--vars",
                json.dumps({"data_as_of": DATA_AS_OF}),
                "--select",
                *models,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )


@click.group()
def main() -> None:
    """Keep bench/sql/peer/ in step with the dbt models."""


@main.command()
@click.argument("models", nargs=-1)
def refresh(models: tuple[str, ...]) -> None:
    """Rewrite the peer files of MODELS (default: the current ones) from dbt's compiled SQL."""
    chosen = list(models) or [query.name for query in peer_queries()]
    with tempfile.TemporaryDirectory(prefix="minzheng-peer-target-") as target:
        compile_models(chosen, Path(target))
        compiled = compiled_models(Path(target))
    for name in chosen:
        model = compiled[name]
        path = PEER_SQL / f"{name}.sql"
        path.write_text(render(name, model["path"], model["compiled_code"]), encoding="utf-8")
        click.echo(f"{path.relative_to(settings.PROJECT_ROOT)} ({model['path']})")


if __name__ == "__main__":
    main()

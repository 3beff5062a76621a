"""The peer queries from dbt's compiled SQL, portable to DuckDB and PostgreSQL alike.

The bare dbt build of the benchmark writes every model's compiled select into its run_results;
a peer query is that select with the warehouse's database qualifier dropped
(``"warehouse"."marts"."fct_x"`` → ``marts.fct_x``) and DuckDB-only spellings rewritten, so the
same text runs on both engines and always matches the models as they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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

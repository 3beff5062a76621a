"""Engine parity: an order-independent content hash of a warehouse table, compared across builds.

Two builds of the same raw zone (DuckDB's, and Spark's mirrored into a DuckDB file by
``minzheng.spark_engine``) hold the same marts when every table has the same fingerprint: its row
count and the MD5 of its sorted row hashes. Each row is hashed from its columns in name order,
each value as text, numbers as doubles rounded to ``FLOAT_DIGITS`` decimal places (so 3, 3.0 and a
sum that differs in the 15th digit agree), null as a marker no value can take.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

# Decimal places numbers are rounded to before hashing: well above any KPI's precision (rates are
# stated to 0.1 %), well below the last digits where engines' float sums may differ.
FLOAT_DIGITS = 6
# What parity covers: every mart, and the KPI table that serving and the exports read.
PARITY_SCHEMAS = ("marts",)
PARITY_TABLES = ("kpi.kpi_progress",)

_NUMERIC_TYPES = frozenset(
    {
        *("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"),
        *("UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"),
        *("FLOAT", "REAL", "DOUBLE", "DECIMAL"),
    }
)

_FRACTIONAL_TYPES = frozenset({"FLOAT", "REAL", "DOUBLE", "DECIMAL"})


@dataclass(frozen=True)
class Fingerprint:
    rows: int
    content_md5: str
    columns: tuple[str, ...]


def parity_tables(db: duckdb.DuckDBPyConnection) -> list[str]:
    """schema.table of every table parity compares, as the build file holds them."""
    found = db.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ? and table_type = 'BASE TABLE' order by 1",
        [list(PARITY_SCHEMAS)],
    ).fetchall()
    return [name for (name,) in found] + list(PARITY_TABLES)


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _value_sql(column: str, data_type: str) -> str:
    quoted = _quoted(column)
    if data_type.upper().split("(")[0] in _NUMERIC_TYPES:
        text = f"cast(round(cast({quoted} as double), {FLOAT_DIGITS}) as varchar)"
    else:
        text = f"cast({quoted} as varchar)"
    return f"coalesce({text}, '\\N')"


def _columns(db: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """The table's (column, type) pairs in name order."""
    schema, name = table.split(".", 1)
    columns = db.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? and table_catalog = current_database() "
        "order by column_name",
        [schema, name],
    ).fetchall()
    if not columns:
        raise LookupError(f"{table} does not exist")
    return columns


def fingerprint(db: duckdb.DuckDBPyConnection, table: str) -> Fingerprint:
    """The row count and order-independent content hash of one table."""
    schema, name = table.split(".", 1)
    columns = _columns(db, table)
    row_text = " || chr(31) || ".join(_value_sql(column, dtype) for column, dtype in columns)
    rows, content = db.execute(
        f"""
        select count(*), md5(coalesce(string_agg(row_md5, ',' order by row_md5), ''))
        from (select md5({row_text}) as row_md5 from "{schema}"."{name}")
        """
    ).fetchone() or (0, "")
    return Fingerprint(int(rows), str(content), tuple(column for column, _ in columns))


def fingerprints(warehouse: Path) -> dict[str, Fingerprint]:
    """The fingerprint of every table parity compares in one build file."""
    with duckdb.connect(str(warehouse), read_only=True) as db:
        return {table: fingerprint(db, table) for table in parity_tables(db)}


def differences(expected: Path, actual: Path) -> dict[str, str]:
    """Tables whose content differs between two build files, with what differs (empty: equal)."""
    left, right = fingerprints(expected), fingerprints(actual)
    found: dict[str, str] = {}
    for table in sorted(set(left) | set(right)):
        if table not in right:
            found[table] = "missing from the second build"
        elif table not in left:
            found[table] = "missing from the first build"
        elif left[table].columns != right[table].columns:
            found[table] = f"columns differ: {left[table].columns} != {right[table].columns}"
        elif left[table] != right[table]:
            found[table] = f"rows {left[table].rows} != {right[table].rows} or content differs"
    return found


def table_digest(db: duckdb.DuckDBPyConnection, table: str) -> str:
    """A cheap order-independent digest of one table in one engine (columns, row count, the sum
    of row hashes over native values, fractional numbers rounded as above): for telling whether
    a table changed between two builds, not for comparing engines."""
    schema, name = table.split(".", 1)
    columns = _columns(db, table)
    values = ", ".join(
        f"round({_quoted(column)}, {FLOAT_DIGITS})"
        if dtype.upper().split("(")[0] in _FRACTIONAL_TYPES
        else _quoted(column)
        for column, dtype in columns
    )
    rows, hashes = db.execute(
        f'select count(*), coalesce(sum(hash({values})::hugeint), 0) from "{schema}"."{name}"'
    ).fetchone() or (0, 0)
    described = ",".join(f"{column} {dtype}" for column, dtype in columns)
    return f"{described}|{rows}|{hashes}"

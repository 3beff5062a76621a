"""Run a suite on a frame or on parquet files and say, per severity, what failed.

Two engines, one outcome:

- ``validate_frame``: a pandas frame in an ephemeral context (small tables, e.g. the published KPI
  grid, and suites whose row conditions are pandas query strings).
- ``validate_parquet``: GE's SQL datasource on DuckDB over a ``read_parquet`` view of the batch
  files, so a year of raw batches is never loaded into pandas. DuckDB has no regex support in GE,
  so ``ExpectColumnValuesToMatchRegex`` is translated into an ``UnexpectedRowsExpectation`` with
  DuckDB's ``regexp_matches`` (same search semantics as GE's pandas implementation, ``mostly``
  kept as a threshold in the query).

Both read the union of the batch files by column name, so a batch that lacks a column would be
hidden by the batches that have it (its rows just read as null there). The table's column rules
(``ExpectTableColumnsToMatchSet`` and the like) are therefore also run on each distinct column set
among the files, and a file whose columns break them fails the rule (``_check_each_column_set``).

Outcomes come back in the suite's order (GE returns them in its own).

The outcome keeps the GE validation result, so it can be recorded in Data Docs
(``expectations.data_docs``).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.execution_engine import sqlalchemy_execution_engine as _sa_engine

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# Marks an expectation rewritten for SQL; its original type and column stay visible in outcomes.
TRANSLATED_FROM = "translated_from"
_BATCH_VIEW = "batch"


class _DialectName(str):
    """A dialect name where GE expects a ``GXSqlDialect`` (it has no DuckDB member)."""

    @property
    def value(self) -> str:
        return str(self)


def _persist_duckdb_connections() -> None:
    """GE fetches SQL rows after returning the connection to the pool; duckdb-engine then yields
    nothing (``MetricResolutionError: list index out of range``). Keeping one connection per
    engine, as GE does for SQLite, fixes it (measured in the team's stack notes)."""
    dialects = _sa_engine._PERSISTED_CONNECTION_DIALECTS
    if "duckdb" not in dialects:
        _sa_engine._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DialectName("duckdb"))  # type: ignore[assignment]


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    element_count: int | None
    unexpected_count: int | None
    unexpected_sample: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        counts = (
            f": {self.unexpected_count} of {self.element_count} rows"
            if self.unexpected_count is not None and self.element_count is not None
            else f": {self.unexpected_count} rows"
            if self.unexpected_count is not None
            else ""
        )
        sample = f" e.g. {self.unexpected_sample[:3]}" if self.unexpected_sample else ""
        return f"{self.expectation}{where}{counts}{sample}"


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    rows: int
    outcomes: list[ExpectationOutcome]
    # The GE result behind the outcomes (for Data Docs); absent when built by hand.
    result: ExpectationSuiteValidationResult | None = field(default=None, repr=False, compare=False)
    engine: str = "pandas"
    seconds: float | None = None

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "blocking"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != "blocking"]

    @property
    def passed(self) -> bool:
        return not self.blocking_failures

    def metadata(self) -> dict[str, object]:
        figures: dict[str, object] = {
            "suite": self.suite,
            "rows_validated": self.rows,
            "expectations": len(self.outcomes),
            "blocking_failures": len(self.blocking_failures),
            "warnings": len(self.warnings),
            "failed": "\n".join(o.describe() for o in self.blocking_failures + self.warnings),
            "engine": self.engine,
        }
        if self.seconds is not None:
            figures["validation_seconds"] = round(self.seconds, 3)
        return figures


def _quiet_context() -> Any:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]
    return context


def _in_suite_order(
    result: ExpectationSuiteValidationResult, suite: gx.ExpectationSuite
) -> list[Any]:
    """The result items in the order of the suite's expectations (matched on GE's ids)."""
    position = {expectation.id: index for index, expectation in enumerate(suite.expectations)}
    return sorted(
        result.results,
        key=lambda item: position.get(
            item.expectation_config.id if item.expectation_config else None, len(position)
        ),
    )


def _outcomes(
    result: ExpectationSuiteValidationResult, rows: int, suite: gx.ExpectationSuite
) -> list[ExpectationOutcome]:
    outcomes = []
    for item in _in_suite_order(result, suite):
        config = item.expectation_config
        assert config is not None
        details = item.result or {}
        meta = config.meta or {}
        original = meta.get(TRANSLATED_FROM)
        if original:
            # An UnexpectedRowsExpectation standing in for a regex: count = rows it returned.
            unexpected = details.get("observed_value")
            outcomes.append(
                ExpectationOutcome(
                    expectation=str(original["type"]),
                    column=original.get("column"),
                    severity=str(meta.get("severity", "blocking")),
                    success=bool(item.success),
                    element_count=rows,
                    unexpected_count=int(unexpected) if unexpected is not None else None,
                )
            )
            continue
        outcomes.append(
            ExpectationOutcome(
                expectation=config.type,
                column=config.kwargs.get("column"),
                severity=str(meta.get("severity", "blocking")),
                success=bool(item.success),
                element_count=details.get("element_count"),
                unexpected_count=details.get("unexpected_count"),
                unexpected_sample=list(details.get("partial_unexpected_list") or [])[:5],
            )
        )
    return outcomes


def validate_frame(suite: gx.ExpectationSuite, frame: pd.DataFrame) -> SuiteOutcome:
    started = time.perf_counter()
    context = _quiet_context()
    batch = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    return SuiteOutcome(
        suite.name,
        len(frame),
        _outcomes(result, len(frame), suite),
        result=result,
        engine="pandas",
        seconds=time.perf_counter() - started,
    )


# --- SQL on DuckDB ---------------------------------------------------------------------------


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _query_text(sql: str) -> str:
    """Escape what GE's ``str.format`` (braces) and SQLAlchemy's ``text()`` (``:name`` binds)
    would otherwise read in a literal, e.g. the regex quantifier ``{4}`` or ``12:30``."""
    sql = sql.replace("{", "{{").replace("}", "}}")
    return re.sub(r"(?<![:\w\\]):(?=\w)", r"\\:", sql)


def _regex_as_unexpected_rows(expectation: gxe.ExpectColumnValuesToMatchRegex) -> gxe.Expectation:
    """The same contract as a query returning the offending rows (DuckDB's RE2 ``regexp_matches``
    searches like ``re.search``, as GE's pandas implementation does)."""
    column = _quote_identifier(expectation.column)
    pattern = _query_text(_quote_literal(str(expectation.regex)))
    unexpected = (
        f"select {column} from {{batch}} "
        f"where {column} is not null and not regexp_matches({column}, {pattern})"
    )
    mostly = expectation.mostly if isinstance(expectation.mostly, int | float) else 1.0
    if mostly < 1.0:
        # Fail (return the rows) only when the unexpected share of non-null values exceeds 1-mostly.
        unexpected = (
            f"with unexpected as ({unexpected}) select * from unexpected "
            f"where (select count(*) from unexpected) > "
            f"{1.0 - mostly!r} * (select count({column}) from {{batch}})"
        )
    meta = dict(expectation.meta or {})
    meta[TRANSLATED_FROM] = {
        "type": expectation.expectation_type,
        "column": expectation.column,
        "regex": str(expectation.regex),
        "mostly": mostly,
    }
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=unexpected,
        description=(
            f"values in {expectation.column} must match the regular expression "
            f"{expectation.regex}"
            + (f", at least {mostly:.0%} of the time" if mostly < 1.0 else "")
            + " (run on DuckDB as a query for the non-matching rows)"
        ),
        meta=meta,
    )


def _with_regex_sample(
    connection: duckdb.DuckDBPyConnection,
    outcome: ExpectationOutcome,
    result: ExpectationSuiteValidationResult,
) -> ExpectationOutcome:
    """Add a few offending values to a failed translated regex (GE's SUMMARY has none for it)."""
    if outcome.success or outcome.expectation != "expect_column_values_to_match_regex":
        return outcome
    regex = next(
        (
            (item.expectation_config.meta or {})[TRANSLATED_FROM]["regex"]
            for item in result.results
            if item.expectation_config is not None
            and (item.expectation_config.meta or {}).get(TRANSLATED_FROM, {}).get("column")
            == outcome.column
            and not item.success
        ),
        None,
    )
    if regex is None or outcome.column is None:
        return outcome
    column = _quote_identifier(outcome.column)
    sample = connection.execute(
        f"select distinct {column} from {_BATCH_VIEW} "
        f"where {column} is not null and not regexp_matches({column}, ?) limit 5",
        [regex],
    ).fetchall()
    return replace(outcome, unexpected_sample=[value for (value,) in sample])


def for_sql(suite: gx.ExpectationSuite) -> gx.ExpectationSuite:
    """A copy of ``suite`` that GE can run on the DuckDB dialect (regex expectations rewritten)."""
    expectations: list[gxe.Expectation] = []
    for expectation in suite.expectations:
        if isinstance(expectation, gxe.ExpectColumnValuesToMatchRegex):
            expectations.append(_regex_as_unexpected_rows(expectation))
        else:
            expectations.append(
                expectation.copy(update={"id": None, "rendered_content": None}, deep=True)
            )
    return gx.ExpectationSuite(name=suite.name, expectations=expectations, meta=suite.meta)


def needs_pandas(suite: gx.ExpectationSuite) -> bool:
    """Suites with row conditions written as pandas query strings cannot run on SQL (condition
    objects can)."""
    return any(
        getattr(e, "condition_parser", None) == "pandas"
        or isinstance(getattr(e, "row_condition", None), str)
        for e in suite.expectations
    )


def validate_parquet(
    suite: gx.ExpectationSuite, files: Sequence[str | Path], *, engine: str = "sql"
) -> SuiteOutcome:
    """Validate the union of parquet ``files`` (columns matched by name).

    ``engine="sql"`` runs GE on DuckDB over a view of the files; ``"pandas"`` loads them into a
    frame first (the old path, kept for comparison and for suites with pandas row conditions).
    Either way the table's column rules are also judged on each distinct column set of the files.
    """
    paths = [str(Path(f).resolve()) for f in files]
    if engine == "pandas" or needs_pandas(suite):
        started = time.perf_counter()
        with duckdb.connect() as connection:
            frame = connection.execute(
                "select * from read_parquet(?, union_by_name = true)", [paths]
            ).df()
        outcome = validate_frame(suite, frame)
        return _check_each_column_set(
            suite,
            paths,
            replace(outcome, engine="pandas", seconds=time.perf_counter() - started),
        )
    if engine != "sql":
        raise ValueError(f"unknown engine {engine!r}: 'sql' or 'pandas'")

    _persist_duckdb_connections()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="minzheng-gx-") as scratch:
        database = Path(scratch) / "batch.duckdb"
        file_list = "[" + ", ".join(_quote_literal(p) for p in paths) + "]"
        with duckdb.connect(str(database)) as connection:
            connection.execute(
                f"create view {_BATCH_VIEW} as "
                f"select * from read_parquet({file_list}, union_by_name = true)"
            )
            row = connection.execute(f"select count(*) from {_BATCH_VIEW}").fetchone()
        rows = int(row[0]) if row else 0
        context = _quiet_context()
        datasource = context.data_sources.add_sql(
            "raw_parquet", connection_string=f"duckdb:///{database}"
        )
        batch = datasource.add_table_asset(
            suite.name, table_name=_BATCH_VIEW
        ).add_batch_definition_whole_table("whole")
        runnable = context.suites.add(for_sql(suite))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=runnable)
        )
        try:
            result = definition.run(result_format="SUMMARY")
        finally:
            datasource.get_execution_engine().close()
    outcomes = _outcomes(result, rows, runnable)
    if any(not o.success for o in outcomes):
        with duckdb.connect() as connection:
            connection.execute(
                f"create view {_BATCH_VIEW} as "
                f"select * from read_parquet({file_list}, union_by_name = true)"
            )
            outcomes = [_with_regex_sample(connection, o, result) for o in outcomes]
    outcome = SuiteOutcome(suite.name, rows, outcomes, result=result, engine="sql")
    outcome = _check_each_column_set(suite, paths, outcome)
    return replace(outcome, seconds=time.perf_counter() - started)


# --- Column rules per column set -------------------------------------------------------------

# Rules about which columns the table has: a union by name cannot see a file that lacks a column.
_COLUMN_RULES = (
    gxe.ExpectTableColumnsToMatchSet,
    gxe.ExpectTableColumnCountToEqual,
    gxe.ExpectTableColumnCountToBeBetween,
    gxe.ExpectColumnToExist,
)


def _files_by_column_set(paths: Sequence[str]) -> dict[frozenset[str], list[str]]:
    """The files grouped by the set of columns they hold (read from the footers only)."""
    if not paths:
        return {}
    with duckdb.connect() as connection:
        rows = connection.execute(
            "select file_name, list(name) from parquet_schema(?) "
            "where num_children is null group by file_name",
            [list(paths)],
        ).fetchall()
    groups: dict[frozenset[str], list[str]] = {}
    for file_name, names in rows:
        groups.setdefault(frozenset(names), []).append(file_name)
    return {columns: sorted(files) for columns, files in groups.items()}


def _check_each_column_set(
    suite: gx.ExpectationSuite, paths: Sequence[str], outcome: SuiteOutcome
) -> SuiteOutcome:
    """Judge the suite's column rules on every distinct column set among the files.

    Nothing to do when the files agree (the usual case). Otherwise a column rule that a group of
    files breaks fails, naming the files and what their columns lack or add; in the GE result the
    item is replaced by the failing group's, so Data Docs show the same verdict.
    """
    positions = [i for i, e in enumerate(suite.expectations) if isinstance(e, _COLUMN_RULES)]
    groups = _files_by_column_set(paths)
    if not positions or len(groups) < 2:
        return outcome
    rules = gx.ExpectationSuite(
        name=f"{suite.name}.columns",
        expectations=[
            suite.expectations[i].copy(update={"id": None, "rendered_content": None}, deep=True)
            for i in positions
        ],
    )
    outcomes = list(outcome.outcomes)
    failed_items: dict[int, Any] = {}
    for columns, files in groups.items():
        judged = validate_frame(rules, pd.DataFrame(columns=sorted(columns)))
        assert judged.result is not None
        items = _in_suite_order(judged.result, rules)
        for position, verdict, item in zip(positions, judged.outcomes, items, strict=True):
            if verdict.success:
                continue
            failed_items.setdefault(position, item)
            previous = outcomes[position]
            outcomes[position] = replace(
                previous,
                success=False,
                unexpected_sample=[
                    *previous.unexpected_sample,
                    _describe_column_set(files, item.result or {}),
                ],
            )
    if failed_items and outcome.result is not None:
        _replace_result_items(outcome.result, list(failed_items.values()))
    return replace(outcome, outcomes=outcomes)


def _describe_column_set(files: Sequence[str], details: dict[str, Any]) -> str:
    mismatched = (details.get("details") or {}).get("mismatched") or {}
    differences = "; ".join(
        f"{kind} {', '.join(map(str, mismatched[kind]))}"
        for kind in ("missing", "unexpected")
        if mismatched.get(kind)
    )
    more = f" and {len(files) - 1} more" if len(files) > 1 else ""
    return f"{Path(files[0]).name}{more}: {differences or 'columns differ'}"


def _replace_result_items(result: ExpectationSuiteValidationResult, failed: list[Any]) -> None:
    """Put each failing column-set verdict in place of the union's item for the same rule."""

    def rule(config: Any) -> tuple[str, dict[str, Any]]:
        # The batch a configuration names differs (the union, or one group): not the rule.
        return config.type, {k: v for k, v in config.kwargs.items() if k != "batch_id"}

    for item in failed:
        index = next(
            (
                i
                for i, union_item in enumerate(result.results)
                if union_item.expectation_config is not None
                and rule(union_item.expectation_config) == rule(item.expectation_config)
            ),
            None,
        )
        if index is None:
            continue
        union_item = result.results[index]
        if union_item.success:
            result.statistics["successful_expectations"] -= 1
            result.statistics["unsuccessful_expectations"] += 1
        assert union_item.expectation_config is not None  # matched on it above
        item.expectation_config.kwargs["batch_id"] = union_item.expectation_config.kwargs.get(
            "batch_id"
        )
        result.results[index] = item
    evaluated = result.statistics.get("evaluated_expectations") or 0
    if evaluated:
        result.statistics["success_percent"] = (
            100.0 * result.statistics["successful_expectations"] / evaluated
        )
    result.success = False

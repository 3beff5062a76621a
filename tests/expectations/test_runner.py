"""The SQL (DuckDB) engine says what the pandas engine says, and raw suites all run on it."""

from __future__ import annotations

from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import pytest

from expectations.runner import (
    TRANSLATED_FROM,
    SuiteOutcome,
    for_sql,
    needs_pandas,
    validate_frame,
    validate_parquet,
)
from expectations.severity import BLOCKING, WARNING
from expectations.suites import RAW_SUITES
from expectations.suites.raw import suite_factory
from sources.common.registry import entities
from tests.expectations.conftest import death_rows, write_batch

deaths = suite_factory(entities("civil_registry")["deaths"])


def _by_expectation(outcome: SuiteOutcome) -> dict[tuple[str, str | None], list]:
    table: dict[tuple[str, str | None], list] = {}
    for item in outcome.outcomes:
        table.setdefault((item.expectation, item.column), []).append((item.success, item.severity))
    return table


def test_regex_becomes_an_unexpected_rows_query_that_survives_formatting() -> None:
    suite = gx.ExpectationSuite(
        name="raw.t.t",
        expectations=[
            gxe.ExpectColumnValuesToMatchRegex(
                column="at", regex=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$", meta=BLOCKING
            ),
            gxe.ExpectColumnValuesToBeInSet(column="sex", value_set=["男"], meta=WARNING),
        ],
    )
    translated = for_sql(suite)
    first, second = translated.expectations
    assert isinstance(first, gxe.UnexpectedRowsExpectation)
    assert first.meta is not None
    assert first.meta["severity"] == "blocking"
    assert first.meta[TRANSLATED_FROM]["column"] == "at"
    assert "{batch}" in first.unexpected_rows_query
    # str.format (GE) must give back the regex with its quantifiers intact.
    assert r"\d{4}" in first.unexpected_rows_query.format(batch="t")
    assert isinstance(second, gxe.ExpectColumnValuesToBeInSet)
    assert suite.expectations[0].regex  # the original suite is untouched


def test_sql_and_pandas_agree_on_failures(dirty_deaths: list[Path]) -> None:
    sql = validate_parquet(deaths(), dirty_deaths, engine="sql")
    pandas = validate_parquet(deaths(), dirty_deaths, engine="pandas")
    assert (sql.engine, pandas.engine) == ("sql", "pandas")
    assert sql.rows == pandas.rows == 80
    assert _by_expectation(sql) == _by_expectation(pandas)
    assert not sql.passed and not pandas.passed
    failed = {(o.expectation, o.column): o for o in sql.blocking_failures}
    assert failed[("expect_column_values_to_match_regex", "death_date")].unexpected_count == 3
    assert failed[("expect_column_values_to_match_regex", "record_version")].unexpected_count == 1
    assert ("expect_column_values_to_be_in_set", "registration_county_code") in failed
    assert ("expect_column_values_to_not_be_null", "death_record_id") in failed
    # A repeated (key, version) is staging's to judge (redelivered or conflicting), not the suite's.
    assert ("expect_compound_columns_to_be_unique", None) not in failed
    assert {(o.expectation, o.column) for o in sql.warnings} == {
        ("expect_column_values_to_be_in_set", "sex")
    }
    assert "3 of 80 rows" in sql.metadata()["failed"]  # type: ignore[operator]
    regex = failed[("expect_column_values_to_match_regex", "death_date")]
    assert regex.unexpected_sample == ["2025/03/01"]


def test_clean_batches_pass_on_sql(clean_deaths: list[Path]) -> None:
    outcome = validate_parquet(deaths(), clean_deaths)
    assert outcome.passed and not outcome.warnings, outcome.metadata()["failed"]
    assert outcome.engine == "sql" and outcome.rows == 100
    assert outcome.metadata()["rows_validated"] == 100


@pytest.mark.parametrize("engine", ["sql", "pandas"])
def test_a_batch_lacking_a_column_fails_the_column_set_among_batches_that_have_it(
    tmp_path: Path, engine: str
) -> None:
    """Read by name, the older batches would lend the lacking batch their column (as nulls)."""
    complete = write_batch(death_rows(5), tmp_path / "complete.parquet")
    lacking = write_batch(
        death_rows(5, start=5).drop(columns=["funeral_home"]), tmp_path / "lacking.parquet"
    )
    outcome = validate_parquet(deaths(), [complete, lacking], engine=engine)
    [failure] = outcome.blocking_failures
    assert failure.expectation == "expect_table_columns_to_match_set"
    assert failure.unexpected_sample == ["lacking.parquet: missing funeral_home"]
    assert outcome.rows == 10 and not outcome.warnings
    # Data Docs read the GE result: it carries the same verdict.
    assert outcome.result is not None and outcome.result.success is False
    [item] = [i for i in outcome.result.results if not i.success]
    assert item.expectation_config is not None
    assert item.expectation_config.type == "expect_table_columns_to_match_set"
    assert outcome.result.statistics["unsuccessful_expectations"] == 1


def test_outcomes_follow_the_suite_order(clean_deaths: list[Path]) -> None:
    suite = deaths()
    outcome = validate_parquet(suite, clean_deaths)
    assert [(o.expectation, o.column) for o in outcome.outcomes] == [
        (e.expectation_type, getattr(e, "column", None)) for e in suite.expectations
    ]


def test_mostly_is_kept_as_a_threshold(tmp_path: Path) -> None:
    frame = pd.DataFrame({"code": ["1"] * 98 + ["x"] * 2})
    files = [write_batch(frame, tmp_path / "m.parquet")]

    def suite(mostly: float) -> gx.ExpectationSuite:
        return gx.ExpectationSuite(
            name="raw.t.mostly",
            expectations=[
                gxe.ExpectColumnValuesToMatchRegex(
                    column="code", regex=r"^\d+$", mostly=mostly, meta=BLOCKING
                )
            ],
        )

    for mostly, passes in ((0.97, True), (0.99, False)):
        sql = validate_parquet(suite(mostly), files, engine="sql")
        pandas = validate_parquet(suite(mostly), files, engine="pandas")
        assert sql.passed is pandas.passed is passes, mostly


def test_validate_frame_keeps_its_contract() -> None:
    frame = pd.DataFrame({"sex": ["男", "女", "x"]})
    suite = gx.ExpectationSuite(
        name="t.frame",
        expectations=[gxe.ExpectColumnValuesToBeInSet(column="sex", value_set=["男", "女"])],
    )
    outcome = validate_frame(suite, frame)
    assert isinstance(outcome, SuiteOutcome)
    assert outcome.suite == "t.frame" and outcome.rows == 3
    assert not outcome.passed  # severity defaults to blocking
    assert outcome.blocking_failures[0].unexpected_sample == ["x"]
    assert outcome.result is not None
    assert SuiteOutcome("s", 0, []).passed  # positional construction still works


def _columns(suite: gx.ExpectationSuite) -> list[str]:
    columns: list[str] = []
    for expectation in suite.expectations:
        if isinstance(expectation, gxe.ExpectTableColumnsToMatchSet):
            columns += list(expectation.column_set or [])
        for name in ("column", "column_list"):
            value = getattr(expectation, name, None)
            columns += [value] if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(columns))


def _raised(info: object) -> bool:
    """GE puts ``raised_exception`` at the top or under each failing metric's id."""
    if not isinstance(info, dict):
        return False
    return bool(info.get("raised_exception")) or any(_raised(v) for v in info.values())


def test_a_dialect_gap_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the translation GE cannot run a regex on DuckDB: the guard above must see that."""
    from expectations import runner

    monkeypatch.setattr(runner, "for_sql", lambda suite: suite)
    suite = gx.ExpectationSuite(
        name="raw.t.gap", expectations=[gxe.ExpectColumnValuesToMatchRegex(column="a", regex="1")]
    )
    frame = pd.DataFrame({"a": ["1", "2"]})
    outcome = validate_parquet(suite, [write_batch(frame, tmp_path / "g.parquet")])
    assert outcome.result is not None
    assert _raised(outcome.result.results[0].exception_info)
    assert not outcome.passed  # an expectation that cannot run blocks


# One of each expectation type the raw suites use, on VARCHAR columns as the raw zone lands them
# (Chinese names too). ExpectColumnValuesToBeBetween is left out on purpose: DuckDB will not
# compare VARCHAR with numbers, so a raw suite must not use it (the published suite does, on pandas).
_EVERY_TYPE = [
    gxe.ExpectTableColumnsToMatchSet(column_set=["code", "统一社会信用代码", "n"], meta=BLOCKING),
    gxe.ExpectTableRowCountToEqual(value=3, meta=BLOCKING),
    gxe.ExpectColumnValuesToNotBeNull(column="code", meta=BLOCKING),
    gxe.ExpectColumnValuesToBeNull(column="n", meta=WARNING),
    gxe.ExpectColumnValuesToBeInSet(
        column="统一社会信用代码", value_set=["是", "否"], meta=WARNING
    ),
    gxe.ExpectColumnValueLengthsToEqual(column="code", value=1, meta=WARNING),
    gxe.ExpectCompoundColumnsToBeUnique(column_list=["code", "统一社会信用代码"], meta=BLOCKING),
    gxe.ExpectColumnValuesToMatchRegex(
        column="统一社会信用代码", regex=r"^5[123][0-9A-Z]{16}$", mostly=0.5, meta=BLOCKING
    ),
]


def test_each_expectation_type_runs_on_duckdb(tmp_path: Path) -> None:
    suite = gx.ExpectationSuite(name="raw.t.types", expectations=_EVERY_TYPE)
    frame = pd.DataFrame(
        {"code": ["1", "x", None], "统一社会信用代码": ["是", "否", None], "n": ["1", None, None]}
    )
    outcome = validate_parquet(suite, [write_batch(frame, tmp_path / "t.parquet")])
    assert outcome.result is not None
    errors = [i.exception_info for i in outcome.result.results if _raised(i.exception_info)]
    assert not errors


@pytest.mark.parametrize("key", sorted(RAW_SUITES), ids=lambda k: ".".join(k))
def test_every_raw_suite_uses_only_types_proven_on_duckdb(key: tuple[str, str]) -> None:
    """A suite author adding an expectation type must add it to the proof above."""
    proven = {
        type(e)
        for e in for_sql(gx.ExpectationSuite(name="p", expectations=_EVERY_TYPE)).expectations
    }
    suite = RAW_SUITES[key]()
    assert {type(e) for e in for_sql(suite).expectations} <= proven
    assert not needs_pandas(suite)  # else the check quietly loads the batches into pandas


# A real suite of each source system, run end to end on SQL (all of them take ~25 s).
_ONE_PER_SOURCE = sorted(
    {source: (source, entity) for source, entity in sorted(RAW_SUITES)}.values()
)


@pytest.mark.parametrize("key", _ONE_PER_SOURCE, ids=lambda k: ".".join(k))
def test_raw_suites_run_on_sql_without_errors(key: tuple[str, str], tmp_path: Path) -> None:
    """No expectation of a raw suite may hit a dialect gap (that would block every run)."""
    suite = RAW_SUITES[key]()
    columns = _columns(suite)
    frame = pd.DataFrame({c: ["1", "x", None] for c in columns})
    outcome = validate_parquet(suite, [write_batch(frame, tmp_path / "b.parquet")])
    assert outcome.result is not None
    errors = [
        (item.expectation_config.type if item.expectation_config else "?", item.exception_info)
        for item in outcome.result.results
        if _raised(item.exception_info)
    ]
    assert not errors

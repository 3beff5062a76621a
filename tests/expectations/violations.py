"""Valid raw batches and minimal violations, derived from the raw suites themselves.

For any raw suite, ``valid_row`` builds a row that keeps every expectation (a validation of the
clean batch proves it: Great Expectations is the judge, not this module), and ``violation`` builds,
for one blocking expectation, the smallest batch that breaks it: a null for a not-null rule, a
value outside the set, a value that does not match the pattern, a duplicated row for a uniqueness
rule, a batch lacking a column and one with an extra column for the column-set rule. A new rule of
a known type is covered without a line here; a new type raises ``NoViolationKnown``.

``expected_outcome`` is the reference semantics of the same expectation types, applied to the rows
as landed: for each expectation, whether it must fail and how many rows it must report. Comparing
GE with it, rule by rule, says which rule each violation broke (and that it broke no other).
"""

from __future__ import annotations

import functools
import math
import re
import re._parser as regex_parser  # the stdlib's own regex parser (sre_parse before 3.11)
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import pyarrow.parquet as pq

from expectations.suites import RAW_SUITES
from minzheng.raw_zone import METADATA_COLUMNS, RawZone

# Sources whose batches are files: the raw zone keeps the file name in _source_file.
FILE_SOURCES = {"social_org_registry", "civil_registry"}
EXTRA_COLUMN = "unexpected_column"
# Values that no pattern of the raw suites accepts (tried in order).
OFF_PATTERN_VALUES = ("格式错误", "?", "-")
OFF_SET_VALUE = "不在值域内"


class NoViolationKnown(NotImplementedError):
    """A blocking expectation type this module cannot break yet: teach ``violation`` one."""


@dataclass(frozen=True)
class Rule:
    """One expectation of a raw suite, by its position in the suite."""

    source: str
    entity: str
    position: int

    @property
    def suite(self) -> gx.ExpectationSuite:
        return suite_of(self.source, self.entity)

    @property
    def expectation(self) -> gxe.Expectation:
        return self.suite.expectations[self.position]

    @property
    def label(self) -> str:
        expectation = self.expectation
        kind = expectation.expectation_type.removeprefix("expect_")
        columns = getattr(expectation, "column", None) or ",".join(
            getattr(expectation, "column_list", None) or []
        )
        return f"{self.source}.{self.entity}#{self.position:02d}:{kind}({columns})"


@functools.cache
def suite_of(source: str, entity: str) -> gx.ExpectationSuite:
    """The raw suite of an entity, built once (read only here)."""
    return RAW_SUITES[(source, entity)]()


def severity(expectation: gxe.Expectation) -> str:
    return str((expectation.meta or {}).get("severity", "blocking"))


def blocking_rules() -> list[Rule]:
    """Every blocking expectation of every raw suite."""
    return [
        Rule(source, entity, position)
        for (source, entity), factory in sorted(RAW_SUITES.items())
        for position, expectation in enumerate(factory().expectations)
        if severity(expectation) == "blocking"
    ]


# --- valid rows ------------------------------------------------------------------------------


def regex_example(pattern: str, variant: int = 0) -> str:
    """A string that ``re.search(pattern, ...)`` matches; ``variant`` picks other characters for
    the pattern's character classes (an odometer, rightmost class first), so keys can differ."""
    slots: list[str | list[str]] = []
    _flatten(regex_parser.parse(pattern), slots)
    classes = [slot for slot in slots if isinstance(slot, list)]
    picks: list[int] = []
    for options in reversed(classes):
        variant, pick = divmod(variant, len(options))
        picks.append(pick)
    chosen = iter(reversed(picks))
    return "".join(slot if isinstance(slot, str) else slot[next(chosen)] for slot in slots)


def _flatten(parsed: Iterable[tuple[Any, Any]], slots: list[str | list[str]]) -> None:
    constants = regex_parser  # opcodes are re-exported by the parser module
    for opcode, argument in parsed:
        if opcode is constants.LITERAL:
            slots.append(chr(argument))
        elif opcode is constants.IN:
            slots.append(_class_characters(argument))
        elif opcode in (constants.MAX_REPEAT, constants.MIN_REPEAT):
            minimum, _, repeated = argument
            for _ in range(minimum):  # the fewest repetitions the pattern allows
                _flatten(repeated, slots)
        elif opcode is constants.SUBPATTERN:
            _flatten(argument[-1], slots)
        elif opcode is constants.BRANCH:
            _flatten(argument[1][0], slots)
        elif opcode is constants.AT:
            continue
        else:
            raise NoViolationKnown(f"regex feature {opcode} is not generated yet")


def _class_characters(items: Iterable[tuple[Any, Any]]) -> list[str]:
    constants = regex_parser
    characters: list[str] = []
    for opcode, argument in items:
        if opcode is constants.LITERAL:
            characters.append(chr(argument))
        elif opcode is constants.RANGE:
            characters += [chr(code) for code in range(argument[0], argument[1] + 1)]
        elif opcode is constants.CATEGORY and argument is constants.CATEGORY_DIGIT:
            characters += list("0123456789")
        else:
            raise NoViolationKnown(f"regex class {opcode} {argument} is not generated yet")
    return characters


def source_columns(suite: gx.ExpectationSuite) -> list[str]:
    """The columns a batch of the suite's entity holds, without the raw zone's own three."""
    [column_set] = [
        e for e in suite.expectations if isinstance(e, gxe.ExpectTableColumnsToMatchSet)
    ]
    return [c for c in column_set.column_set or [] if c not in METADATA_COLUMNS]


def _rules_on(suite: gx.ExpectationSuite, column: str) -> list[gxe.Expectation]:
    return [e for e in suite.expectations if getattr(e, "column", None) == column]


# Rules judged value by value (``_keeps``).
_COLUMN_MAP_RULES = (
    gxe.ExpectColumnValuesToNotBeNull,
    gxe.ExpectColumnValuesToBeInSet,
    gxe.ExpectColumnValuesToMatchRegex,
    gxe.ExpectColumnValueLengthsToEqual,
)


def _keeps(expectation: gxe.Expectation, value: str | None) -> bool:
    """Whether one value keeps a column rule (the reference semantics; nulls are the not-null
    rule's business only, as in GE)."""
    if isinstance(expectation, gxe.ExpectColumnValuesToNotBeNull):
        return value is not None
    if value is None:
        return True
    if isinstance(expectation, gxe.ExpectColumnValuesToBeInSet):
        return value in list(expectation.value_set or [])
    if isinstance(expectation, gxe.ExpectColumnValuesToMatchRegex):
        return re.search(str(expectation.regex), value) is not None
    if isinstance(expectation, gxe.ExpectColumnValueLengthsToEqual):
        return len(value) == expectation.value
    raise NoViolationKnown(f"no reference semantics for {expectation.expectation_type}")


def valid_value(suite: gx.ExpectationSuite, column: str, variant: int) -> str:
    """A value of ``column`` that keeps every rule on it, different for each ``variant`` where the
    rules leave room (keys must differ from row to row)."""
    rules = _rules_on(suite, column)
    candidates: list[str] = []
    for rule in rules:
        if isinstance(rule, gxe.ExpectColumnValuesToBeInSet):
            values = [str(v) for v in rule.value_set or []]
            candidates = values[variant % len(values) :] + values[: variant % len(values)]
            break
        if isinstance(rule, gxe.ExpectColumnValuesToMatchRegex):
            candidates = [regex_example(str(rule.regex), variant)]
            break
    else:
        lengths = [r.value for r in rules if isinstance(r, gxe.ExpectColumnValueLengthsToEqual)]
        width = int(lengths[0]) if lengths else 0
        candidates = [str(variant).zfill(width) if width else f"{column}-{variant}"]
    for candidate in candidates:
        if all(_keeps(rule, candidate) for rule in rules):
            return candidate
    raise NoViolationKnown(f"no value keeps every rule on {column}: {candidates[:3]}")


def valid_row(suite: gx.ExpectationSuite, variant: int) -> dict[str, str | None]:
    return {column: valid_value(suite, column, variant) for column in source_columns(suite)}


def valid_rows(suite: gx.ExpectationSuite, variants: Iterable[int]) -> pd.DataFrame:
    return pd.DataFrame(
        [valid_row(suite, v) for v in variants], columns=source_columns(suite), dtype=object
    )


# --- violations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """Rows to land as one raw batch (source columns only: the raw zone adds its own)."""

    label: str
    frame: pd.DataFrame


def violation(rule: Rule, rows_elsewhere: int) -> list[Batch]:
    """The smallest batch(es) breaking ``rule``; ``rows_elsewhere`` is how many other rows the
    validated batches hold (a ``mostly`` tolerance is a share of all of them)."""
    suite = rule.suite
    expectation = suite.expectations[rule.position]
    first = 1000 * (rule.position + 1)  # variants no clean row and no other violation uses
    label = f"violates{rule.position:02d}"
    if isinstance(expectation, gxe.ExpectTableColumnsToMatchSet):
        return _column_set_violations(suite, first, label)
    if isinstance(expectation, gxe.ExpectCompoundColumnsToBeUnique):
        row = valid_rows(suite, [first])
        return [Batch(label, pd.concat([row, row], ignore_index=True))]
    column = str(getattr(expectation, "column", ""))
    if isinstance(expectation, gxe.ExpectColumnValuesToNotBeNull):
        bad: str | None = None
    elif isinstance(expectation, gxe.ExpectColumnValuesToBeInSet):
        bad = _off_set_value(suite, expectation)
    elif isinstance(expectation, gxe.ExpectColumnValuesToMatchRegex):
        bad = next(v for v in OFF_PATTERN_VALUES if not _keeps(expectation, v))
    elif isinstance(expectation, gxe.ExpectColumnValueLengthsToEqual):
        bad = "X" * (int(expectation.value) + 1)
    else:
        raise NoViolationKnown(
            f"{rule.label}: no violation known for {expectation.expectation_type}; "
            "add one to tests/expectations/violations.py"
        )
    count = _rows_beyond_tolerance(getattr(expectation, "mostly", None), rows_elsewhere)
    frame = valid_rows(suite, range(first, first + count))
    frame[column] = pd.Series([bad] * count, dtype=object)
    return [Batch(label, frame)]


def _off_set_value(suite: gx.ExpectationSuite, rule: gxe.ExpectColumnValuesToBeInSet) -> str:
    """Outside the set, but keeping the column's other rules (a pattern, a length) if it can."""
    allowed = {str(v) for v in rule.value_set or []}
    others = [r for r in _rules_on(suite, str(rule.column)) if r is not rule]
    patterns = [r for r in others if isinstance(r, gxe.ExpectColumnValuesToMatchRegex)]
    candidates = [regex_example(str(patterns[0].regex), v) for v in range(100)] if patterns else []
    for candidate in [*candidates, OFF_SET_VALUE]:
        if candidate not in allowed and all(_keeps(r, candidate) for r in others):
            return candidate
    return OFF_SET_VALUE


def _rows_beyond_tolerance(mostly: object, rows_elsewhere: int) -> int:
    """Offending rows needed so that their share of all rows exceeds 1 - mostly."""
    if not isinstance(mostly, int | float) or mostly >= 1:
        return 1
    share = 1.0 - float(mostly)
    count = max(1, math.ceil(share * rows_elsewhere / (1.0 - share)))
    while count / (rows_elsewhere + count) <= share:
        count += 1
    return count


def _column_set_violations(suite: gx.ExpectationSuite, first: int, label: str) -> list[Batch]:
    """Drift both ways: a batch lacking a column (one no not-null rule needs, when there is
    one) and a batch with a column the contract does not know."""
    columns = source_columns(suite)
    required = {
        str(e.column)
        for e in suite.expectations
        if isinstance(e, gxe.ExpectColumnValuesToNotBeNull)
    }
    dropped = next((c for c in reversed(columns) if c not in required), columns[-1])
    lacking = valid_rows(suite, [first]).drop(columns=[dropped])
    extra = valid_rows(suite, [first + 1])
    extra[EXTRA_COLUMN] = "?"
    return [Batch(f"{label}_lacks_a_column", lacking), Batch(f"{label}_adds_a_column", extra)]


def land(zone: RawZone, source: str, entity: str, batch: Batch) -> Path:
    """Land ``batch`` the way the extract does; the batch file's path."""
    source_file = f"{entity}_{batch.label}.csv" if source in FILE_SOURCES else None
    manifest = zone.land(
        source, entity, batch.frame, batch_label=batch.label, source_file=source_file
    )
    assert manifest is not None, f"{batch.label} was already landed"
    return zone.entity_dir(source, entity) / f"{manifest.batch_id}.parquet"


# --- what each expectation must report -------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    fails: bool
    # Rows GE reports as unexpected (None for table-level rules).
    unexpected: int | None


def expected_outcome(suite: gx.ExpectationSuite, files: Sequence[Path]) -> list[Expected]:
    """Per expectation of ``suite`` (in order), what a validation of ``files`` must report."""
    frames = [_landed(str(f)) for f in files]
    rows = pd.concat(frames, ignore_index=True)  # by column name, as the check reads them
    rows = rows.astype(object).where(rows.notna(), None)
    return [_expected(e, rows, [set(f.columns) for f in frames]) for e in suite.expectations]


@functools.cache
def _landed(path: str) -> pd.DataFrame:
    """A landed batch as the check sees it (files are immutable: read each once)."""
    return pq.read_table(path).to_pandas()


def _expected(
    expectation: gxe.Expectation, rows: pd.DataFrame, file_columns: Sequence[set[str]]
) -> Expected:
    if isinstance(expectation, gxe.ExpectTableColumnsToMatchSet):
        wanted = set(expectation.column_set or [])
        exact = expectation.exact_match is not False
        broken = [c for c in file_columns if (c != wanted if exact else not wanted <= c)]
        return Expected(bool(broken), None)
    if isinstance(expectation, gxe.ExpectCompoundColumnsToBeUnique):
        keys = rows[list(expectation.column_list or [])]
        considered = keys[~keys.isna().all(axis=1)]  # GE skips rows missing every value
        duplicated = int(considered.duplicated(keep=False).sum())
        return Expected(duplicated > 0, duplicated)
    if not isinstance(expectation, _COLUMN_MAP_RULES):
        raise NoViolationKnown(f"no reference semantics for {expectation.expectation_type}")
    column = str(expectation.column)
    values = list(rows[column]) if column in rows else []
    unexpected = sum(not _keeps(expectation, v) for v in values)
    checked = (
        len(values)
        if isinstance(expectation, gxe.ExpectColumnValuesToNotBeNull)
        else sum(v is not None for v in values)
    )
    mostly = getattr(expectation, "mostly", None)
    tolerance = 1.0 - float(mostly) if isinstance(mostly, int | float) else 0.0
    fails = checked > 0 and unexpected / checked > tolerance + 1e-12
    if isinstance(expectation, gxe.ExpectColumnValuesToMatchRegex) and tolerance and not fails:
        # On DuckDB a tolerant pattern rule is a query returning the offending rows only past
        # the tolerance (expectations.runner): within it, it reports none.
        unexpected = 0
    return Expected(fails, unexpected)


def rows_in(files: Iterable[Path]) -> int:
    return sum(pq.read_metadata(f).num_rows for f in files)

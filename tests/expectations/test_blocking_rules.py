"""Every blocking rule of every raw suite fails, as blocking, on a batch that breaks it.

The two halves of "a violating batch blocks publish":

1. here, for each blocking expectation (enumerated from the suites, so a new rule is covered as
   soon as it is written): land a valid batch and the smallest batch breaking that rule in a raw
   zone, validate them the way the ``source_contract`` check does (``validate_parquet`` on DuckDB
   over every batch file of the entity), and see the rule reported failed with severity blocking;
   the valid batch alone passes;
2. ``test_quality_gates_in_dagster.py``: a blocking failure of ``source_contract`` (or of
   ``published_contract``) stops the real Dagster job before the build and publish, and the
   serving file keeps its SHA-256.

Running the pipeline once per rule would take hours, and nothing in it depends on which rule
failed: the check fails whenever ``SuiteOutcome.blocking_failures`` is not empty.

By default one validation per suite covers all its rules: every rule's violation lands as its own
batch beside the valid one. Attribution is exact all the same: a reference semantics of the
expectation types (``violations.expected_outcome``) says, rule by rule, whether it must fail and
how many rows it must report, and GE must agree on every rule (warnings included): so each
violation broke its own rule and no other. ``MINZHENG_ISOLATED_RULES=1`` validates each rule's
violation on its own instead (one validation per rule: ~6 minutes on two cores).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from expectations.runner import SuiteOutcome, validate_parquet
from expectations.suites import RAW_SUITES
from minzheng.raw_zone import RawZone
from tests.expectations.violations import (
    Batch,
    Expected,
    Rule,
    blocking_rules,
    expected_outcome,
    land,
    rows_in,
    valid_rows,
    violation,
)

ISOLATED = os.environ.get("MINZHENG_ISOLATED_RULES") == "1"
CLEAN_ROWS = 8
RULES = blocking_rules()


@dataclass
class SuiteRun:
    """One suite validated on a clean batch, then with the violations of its blocking rules."""

    rules: list[Rule]
    clean_files: list[Path]
    clean: SuiteOutcome
    violation_files: dict[int, list[Path]]
    _combined: SuiteOutcome | None = None
    _isolated: dict[int, SuiteOutcome] = field(default_factory=dict)
    _expected: dict[int | None, list[Expected]] = field(default_factory=dict)

    @property
    def suite_rules(self) -> list[int]:
        return [rule.position for rule in self.rules]

    def files_breaking(self, position: int | None = None) -> list[Path]:
        chosen = self.suite_rules if position is None else [position]
        return [*self.clean_files, *(f for p in chosen for f in self.violation_files[p])]

    def violated(self, position: int | None = None) -> SuiteOutcome:
        """The validation with every violation (combined) or with ``position``'s alone."""
        suite = self.rules[0].suite
        if position is None or not ISOLATED:
            if self._combined is None:
                self._combined = validate_parquet(suite, self.files_breaking())
            return self._combined
        if position not in self._isolated:
            self._isolated[position] = validate_parquet(suite, self.files_breaking(position))
        return self._isolated[position]

    def expected(self, position: int | None = None) -> list[Expected]:
        key = position if ISOLATED else None
        if key not in self._expected:
            self._expected[key] = expected_outcome(self.rules[0].suite, self.files_breaking(key))
        return self._expected[key]


@pytest.fixture(scope="session")
def suite_runs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Rule], SuiteRun]:
    """Each suite's batches are landed and its clean batch validated once, on first use."""
    runs: dict[tuple[str, str], SuiteRun] = {}
    root = tmp_path_factory.mktemp("blocking_rules")

    def run_for(rule: Rule) -> SuiteRun:
        key = (rule.source, rule.entity)
        if key not in runs:
            runs[key] = _land_and_validate(root, key)
        return runs[key]

    return run_for


def _land_and_validate(root: Path, key: tuple[str, str]) -> SuiteRun:
    source, entity = key
    rules = [r for r in RULES if (r.source, r.entity) == key]
    suite = rules[0].suite
    zone = RawZone(root / f"{source}.{entity}" / "raw")
    clean = land(zone, source, entity, Batch("clean", valid_rows(suite, range(CLEAN_ROWS))))
    others = CLEAN_ROWS + 2 * len(rules)  # what every other violation adds, at most
    violation_files = {
        rule.position: [land(zone, source, entity, b) for b in violation(rule, others)]
        for rule in rules
    }
    return SuiteRun(rules, [clean], validate_parquet(suite, [clean]), violation_files)


def _verdicts(outcome: SuiteOutcome) -> list[tuple[bool, str, int | None]]:
    return [(o.success, o.severity, o.unexpected_count) for o in outcome.outcomes]


def test_every_raw_suite_has_blocking_rules_and_each_is_enumerated() -> None:
    assert {(r.source, r.entity) for r in RULES} == set(RAW_SUITES)
    assert len(RULES) >= 100
    assert len({r.label for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.label)
def test_blocking_rule_fails_as_blocking_on_a_batch_that_breaks_it(
    rule: Rule, suite_runs: Callable[[Rule], SuiteRun]
) -> None:
    run = suite_runs(rule)
    assert run.clean.outcomes[rule.position].success, run.clean.metadata()["failed"]

    violated = run.violated(rule.position)
    outcome = violated.outcomes[rule.position]
    expected = run.expected(rule.position)[rule.position]
    assert (outcome.expectation, outcome.column) == (
        rule.expectation.expectation_type,
        getattr(rule.expectation, "column", None),
    )
    assert not outcome.success, violated.metadata()["failed"]
    assert outcome.severity == "blocking"
    assert outcome in violated.blocking_failures and not violated.passed
    if expected.unexpected is not None:
        assert outcome.unexpected_count == expected.unexpected
    # The failure is this rule's own violation: that batch alone breaks it.
    own = expected_outcome(rule.suite, run.files_breaking(rule.position))
    assert own[rule.position].fails
    if ISOLATED:  # and nothing else fails but what the reference semantics says it breaks
        assert [not o.success for o in violated.outcomes] == [e.fails for e in own]


@pytest.mark.parametrize("key", sorted(RAW_SUITES), ids=lambda key: ".".join(key))
def test_suite_reports_exactly_what_its_batches_break(
    key: tuple[str, str], suite_runs: Callable[[Rule], SuiteRun]
) -> None:
    """Clean: every rule passes. With the violations: every rule (warnings too) fails exactly
    when the reference semantics says so, with the same count: no violation spills over."""
    run = suite_runs(next(r for r in RULES if (r.source, r.entity) == key))
    assert run.clean.passed and not run.clean.warnings, run.clean.metadata()["failed"]
    assert run.clean.rows == rows_in(run.clean_files)

    violated = run.violated()
    expected = run.expected()
    actual = _verdicts(violated)
    for position, (want, (passed, _, count)) in enumerate(zip(expected, actual, strict=True)):
        assert passed is not want.fails, (position, violated.outcomes[position], want)
        if want.unexpected is not None:
            assert count == want.unexpected, (position, violated.outcomes[position], want)
    assert not violated.warnings, violated.metadata()["failed"]
    failing_blocking = [
        p for p, o in enumerate(violated.outcomes) if not o.success and o.severity == "blocking"
    ]
    assert failing_blocking == run.suite_rules

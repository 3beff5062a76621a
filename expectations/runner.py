"""Run a suite on a frame and say, per severity, what failed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


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
        return {
            "suite": self.suite,
            "rows_validated": self.rows,
            "expectations": len(self.outcomes),
            "blocking_failures": len(self.blocking_failures),
            "warnings": len(self.warnings),
            "failed": "\n".join(o.describe() for o in self.blocking_failures + self.warnings),
        }


def validate_frame(suite: gx.ExpectationSuite, frame: pd.DataFrame) -> SuiteOutcome:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]
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
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        assert config is not None
        details = item.result or {}
        outcomes.append(
            ExpectationOutcome(
                expectation=config.type,
                column=config.kwargs.get("column"),
                severity=str((config.meta or {}).get("severity", "blocking")),
                success=bool(item.success),
                element_count=details.get("element_count"),
                unexpected_count=details.get("unexpected_count"),
                unexpected_sample=list(details.get("partial_unexpected_list") or [])[:5],
            )
        )
    return SuiteOutcome(suite.name, len(frame), outcomes)

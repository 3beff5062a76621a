"""The raw contract of every source entity, as a Great Expectations suite read off its registry.

Structure (the exact column set, keys, required columns, the codes the warehouse joins on) blocks;
business validity (results, states, lengths) warns, or blocks past a tolerance (``mostly``): each
rule's severity is the registry's (sources/<system>/entities.yml).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe

from sources.common.registry import RAW_METADATA, Entity, all_entities


def expectations(entity: Entity) -> list[gxe.Expectation]:
    def meta(severity: str) -> dict[str, str]:
        return {"severity": severity}

    blocking = meta("blocking")
    found: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=[*entity.column_names, *RAW_METADATA], exact_match=True, meta=blocking
        ),
        *[
            gxe.ExpectColumnValuesToNotBeNull(column=column.name, meta=blocking)
            for column in entity.columns
            if column.required
        ],
    ]
    # The registry's unique key (key and version) is judged in staging, not here: a repeated
    # version is counted as redelivered when identical and quarantined as a conflicting
    # redelivery otherwise (rank_versions), one rule in every versioned entity.
    for column in entity.columns:
        rule = meta(column.severity)
        # `mostly` only when the registry gives one: the default stays out of the configuration.
        mostly: dict[str, Any] = {"mostly": column.mostly} if column.mostly is not None else {}
        if column.allowed is not None:
            found.append(
                gxe.ExpectColumnValuesToBeInSet(
                    column=column.name, value_set=column.allowed_values or [], meta=rule, **mostly
                )
            )
        if column.pattern is not None:
            found.append(
                gxe.ExpectColumnValuesToMatchRegex(
                    column=column.name, regex=column.pattern, meta=rule, **mostly
                )
            )
        if column.length is not None:
            found.append(
                gxe.ExpectColumnValueLengthsToEqual(
                    column=column.name, value=column.length, meta=rule, **mostly
                )
            )
    return found


def suite(entity: Entity) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name=f"raw.{entity.system}.{entity.name}", expectations=expectations(entity)
    )


def suite_factory(entity: Entity) -> Callable[[], gx.ExpectationSuite]:
    """A zero-argument factory for the entity's suite (the shape RAW_SUITES holds)."""
    return lambda: suite(entity)


def raw_suites() -> dict[tuple[str, str], Callable[[], gx.ExpectationSuite]]:
    return {(entity.system, entity.name): suite_factory(entity) for entity in all_entities()}

"""Great Expectations suites as code, one module per source system.

Every expectation carries ``meta={"severity": "blocking" | "warning"}``: a blocking failure stops
everything downstream of the checked asset; a warning is shown and counted.
"""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx

from expectations.suites import civil_registry

SuiteFactory = Callable[[], gx.ExpectationSuite]

# (source, entity) -> the suite guarding that raw entity.
RAW_SUITES: dict[tuple[str, str], SuiteFactory] = {
    ("civil_registry", "deaths"): civil_registry.deaths,
}

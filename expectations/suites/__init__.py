"""Great Expectations suites as code, one module per source system.

Every expectation carries ``meta={"severity": "blocking" | "warning"}``: a blocking failure stops
everything downstream of the checked asset; a warning is shown and counted.
"""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx

from expectations.suites import civil_registry
from expectations.suites import elderly_care as _elderly_care
from expectations.suites import smart_assistance as _smart_assistance
from expectations.suites import social_org_registry as _social_org_registry

SuiteFactory = Callable[[], gx.ExpectationSuite]

# (source, entity) -> the suite guarding that raw entity.
RAW_SUITES: dict[tuple[str, str], SuiteFactory] = {
    ("civil_registry", "deaths"): civil_registry.deaths,
    **{("civil_registry", e): suite for e, suite in civil_registry.SUITES.items()},
    **{("social_org_registry", e): suite for e, suite in _social_org_registry.SUITES.items()},
    **{("elderly_care", t): _elderly_care.suite_factory(t) for t in _elderly_care.TABLES},
    **{("smart_assistance", e): suite for e, suite in _smart_assistance.SUITES.items()},
}

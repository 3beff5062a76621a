"""Source contracts (Great Expectations) as blocking checks on the raw assets."""

from __future__ import annotations

from expectations.suites import RAW_SUITES
from orchestration.lib.quality import raw_suite_check

raw_contract_checks = [
    raw_suite_check(source, entity, suite) for (source, entity), suite in RAW_SUITES.items()
]

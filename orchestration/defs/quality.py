"""Source contracts (Great Expectations) as blocking checks on the raw assets."""

from __future__ import annotations

import dagster as dg

from expectations.suites import RAW_SUITES
from orchestration.lib.quality import published_kpi_check, raw_suite_check

raw_contract_checks = [
    raw_suite_check(source, entity, suite) for (source, entity), suite in RAW_SUITES.items()
]

published_contract_checks = [published_kpi_check(dg.AssetKey(["kpi", "kpi_progress"]))]

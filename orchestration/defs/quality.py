"""Quality gates: source contracts on the raw assets, the published contract on the KPI table,
the batch reconciliation on the audit model. All blocking: a failure stops publish."""

from __future__ import annotations

import dagster as dg

from expectations.suites import RAW_SUITES
from orchestration.lib.quality import (
    batch_reconciliation_check,
    published_kpi_check,
    raw_suite_check,
)

raw_contract_checks = [
    raw_suite_check(source, entity, suite) for (source, entity), suite in RAW_SUITES.items()
]

published_contract_checks = [published_kpi_check(dg.AssetKey(["kpi", "kpi_progress"]))]

reconciliation_checks = [
    batch_reconciliation_check(dg.AssetKey(["audit", "audit_entity_reconciliation"]))
]

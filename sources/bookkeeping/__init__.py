"""KPI truth from the simulators' clean state, computed independently of the warehouse.

Follows docs/kpi_rules.md, one module per action line, each with ``truth(state, plan_year)``
returning rows per county-level region and month of the plan year, plus the city row.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sources.bookkeeping import (
    children,
    elderly_care,
    social_assistance,
    social_participation,
    special_services,
)
from sources.bookkeeping.common import TRUTH_COLUMNS

LINES: dict[str, Callable[[dict[str, pd.DataFrame], int], list[dict]]] = {
    "SA": social_assistance.truth,
    "EC": elderly_care.truth,
    "CH": children.truth,
    "SP": social_participation.truth,
    "SS": special_services.truth,
}


def kpi_truth(state: dict[str, pd.DataFrame], plan_year: int) -> pd.DataFrame:
    """Truth rows for every KPI the simulators keep books on, every month of the plan year."""
    rows = [row for line in LINES.values() for row in line(state, plan_year)]
    frame = pd.DataFrame(rows, columns=TRUTH_COLUMNS)
    frame["denominator"] = frame["denominator"].astype("Int64")
    frame["actual_value"] = frame["actual_value"].astype(float)
    return frame


__all__ = ["LINES", "TRUTH_COLUMNS", "kpi_truth"]

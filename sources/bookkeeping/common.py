"""What every line's truth shares: the month grid, YTD windows and county + city rows.

The city row sums numerators and denominators of every county-level row (for SP04 including
organizations the city bureau registered itself); ratios are never averaged.
"""

from __future__ import annotations

import pandas as pd

from sources.common.regions import CITY_CODE, COUNTIES

TRUTH_COLUMNS = [
    "kpi_code",
    "period_month",
    "region_code",
    "numerator",
    "denominator",
    "actual_value",
]


def period_ends(plan_year: int) -> list[pd.Timestamp]:
    return list(pd.date_range(f"{plan_year}-01-31", f"{plan_year}-12-31", freq="ME"))


def truth_rows(
    kpi: str,
    month: pd.Timestamp,
    num: pd.Series,
    den: pd.Series | None,
    extra: tuple[str, ...] = (),
) -> list[dict]:
    """County rows plus the city row; ``extra`` are county-level codes only the city sums."""
    out = []
    codes = list(COUNTIES)
    for code in codes:
        n = int(num.get(code, 0))
        d = None if den is None else int(den.get(code, 0))
        out.append((code, n, d))
    city_num = int(sum(num.get(c, 0) for c in codes + list(extra)))
    city_den = None if den is None else int(sum(den.get(c, 0) for c in codes + list(extra)))
    out.append((CITY_CODE, city_num, city_den))
    period = month.strftime("%Y-%m-01")
    rows = []
    for code, n, d in out:
        if d is None:
            value: float | None = float(n)
        else:
            value = n / d if d else None
        rows.append(
            {
                "kpi_code": kpi,
                "period_month": period,
                "region_code": code,
                "numerator": n,
                "denominator": d,
                "actual_value": value,
            }
        )
    return rows


def in_ytd(values: pd.Series, plan_year: int, period_end: pd.Timestamp) -> pd.Series:
    text = values.fillna("")
    return (text >= f"{plan_year}-01-01") & (text <= period_end.strftime("%Y-%m-%d"))

"""Low-income population monitoring alerts (低收入人口动态监测预警) and project services
(冷暖有助, 兜底监护, 留泰圆梦 for adults; 点亮星空, 点亮梦想, 点亮人生, 点亮心灯 for children)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, villages_in
from sources.common.simtools import DAY, SECOND, d64, date_text, pick, random_dates, scaled
from sources.smart_assistance.params import (
    ALERT_DECISIONS,
    CH_PROJECTS,
    CITY,
    OTHER_PROJECTS,
    SA_PROJECTS,
    sa_by_county,
)

ALERT_TYPES = ("收入骤减", "大额医疗支出", "失业", "因灾受损", "家庭成员重病", "多部门数据比对")
ALERT_LEVELS = ("红色", "橙色", "黄色")
ALERT_DECISION_SHARES = (0.15, 0.03, 0.12, 0.2, 0.15, 0.35)
ALERTS_PER_YEAR = int(CITY["monitoring_alerts_per_year"])
# Services (person-times) a year at scale 1, per project.
SERVICES_PER_YEAR = {name: int(p["per_year"]) for name, p in CITY["project_services"].items()}
SERVICE_CONTENT = {name: str(p["content"]) for name, p in CITY["project_services"].items()}
if set(SERVICES_PER_YEAR) != set(SA_PROJECTS + CH_PROJECTS + OTHER_PROJECTS):
    raise ValueError(
        "the city profile's simulation/city.yml project_services must list exactly the projects"
        f" of seeds/ref_assistance_projects.csv: {sorted(SERVICES_PER_YEAR)} against"
        f" {sorted(SA_PROJECTS + CH_PROJECTS + OTHER_PROJECTS)}"
    )


def monitoring_alerts(
    rng: np.random.Generator, scale: float, start: date, end: date, count: int | None = None
) -> pd.DataFrame:
    """Alerts raised in the window; closed within 30 days at the county's rate, later otherwise;
    those not closed by the window end stay open. A few are closed without a decision.

    ``count`` overrides the scaled volume.
    """
    start64, end64 = d64(start), d64(end)
    years = ((end64 - start64) / DAY + 1) / 365.0
    n = scaled(ALERTS_PER_YEAR * years, scale) if count is None else count
    weights = np.array([PROFILES[c].assistance_share for c in COUNTIES])
    county = pick(rng, COUNTIES, n, weights).astype(str)
    raised_day = random_dates(rng, start64, end64, n)
    raised = raised_day.astype("datetime64[s]") + rng.integers(0, 86_400, n) * SECOND
    timely = rng.random(n) < sa_by_county(county, "sa04_timely")
    lag_days = np.where(timely, rng.integers(0, 31, n), rng.integers(31, 120, n))
    closed = raised + lag_days * 86_400 * SECOND + rng.integers(-3_600, 3_600, n) * SECOND
    closed = np.maximum(closed, raised + 600 * SECOND)
    end_ts = (end64 + DAY).astype("datetime64[s]") - SECOND
    is_closed = closed <= end_ts
    decision = pick(rng, ALERT_DECISIONS, n, ALERT_DECISION_SHARES)
    no_decision = is_closed & (rng.random(n) < 0.01)
    decision = np.where(is_closed & ~no_decision, decision, np.full(n, None, dtype=object))
    in_progress = ~is_closed & (raised + 2 * 86_400 * SECOND <= end_ts)
    status = np.where(is_closed, "已办结", np.where(in_progress, "处置中", "待处置"))
    male = rng.random(n) < 0.5
    birth = start64 - rng.integers(20 * 365, 85 * 365, n) * DAY
    nat = np.datetime64("NaT", "s")
    return pd.DataFrame(
        {
            "person_id_number": generate_id_numbers(rng, county, birth, male).astype(object),
            "person_name": random_names(rng, male).astype(object),
            "county_code": county.astype(object),
            "village_code": villages_in(rng, county),
            "alert_type": pick(rng, ALERT_TYPES, n, (0.25, 0.25, 0.15, 0.05, 0.15, 0.15)),
            "alert_level": pick(rng, ALERT_LEVELS, n, (0.15, 0.35, 0.5)),
            "decision": decision.astype(object),
            "alert_status": status.astype(object),
            "_raised": raised,
            "_closed": np.where(is_closed, closed, nat),
            "_touched": np.where(
                is_closed, closed, np.where(in_progress, raised + 86_400 * SECOND, raised)
            ),
        }
    )


def project_services(
    rng: np.random.Generator,
    scale: float,
    start: date,
    end: date,
    sizes: dict[str, int] | None = None,
) -> pd.DataFrame:
    """One row per service delivered (a person-time); about 5% are cancelled afterwards.

    ``sizes`` (services per project) overrides the scaled volumes.
    """
    start64, end64 = d64(start), d64(end)
    years = ((end64 - start64) / DAY + 1) / 365.0
    if sizes is None:
        sizes = {p: scaled(v * years, scale) for p, v in SERVICES_PER_YEAR.items()}
    project = np.repeat(np.array(list(sizes), dtype=object), list(sizes.values()))
    n = len(project)
    weights = np.array([PROFILES[c].assistance_share for c in COUNTIES])
    county = pick(rng, COUNTIES, n, weights).astype(str)
    child = np.isin(project, CH_PROJECTS)
    age = np.where(child, rng.integers(3 * 365, 17 * 365, n), rng.integers(18 * 365, 90 * 365, n))
    served = random_dates(rng, start64, end64, n)
    birth = served - age * DAY
    male = rng.random(n) < 0.5
    cancelled = rng.random(n) < 0.05
    return pd.DataFrame(
        {
            "project_name": project,
            "beneficiary_id_number": generate_id_numbers(rng, county, birth, male).astype(object),
            "beneficiary_name": random_names(rng, male).astype(object),
            "county_code": county.astype(object),
            "village_code": villages_in(rng, county),
            "service_content": pd.Series(project).map(SERVICE_CONTENT).to_numpy(object),
            "service_date": date_text(served),
            "service_status": np.where(cancelled, "已取消", "已完成").astype(object),
            "_served": served,
            "_cancelled": cancelled,
        }
    )

"""Simulated 智慧救助管理服务平台 store: assistance cases and the monthly children survey.

The store holds each record's current state; a status change or correction shows as an
``updated_at`` later than ``created_at``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sources.common.identity import corrupt_check_chars, generate_id_numbers
from sources.common.names import random_mobiles, random_names
from sources.common.profiles import PROFILES, by_county
from sources.common.regions import COUNTIES, real_villages
from sources.common.simtools import (
    DAY,
    SECOND,
    SystemResult,
    d64,
    date_text,
    iso_local,
    office_times,
    pick,
    prefixed_ids,
    progress,
    random_dates,
    scaled,
    write_sqlite_table,
)

STORE_NAME = "store.sqlite"

CASE_COLUMNS = [
    "case_id", "case_type", "temp_assistance_kind", "applicant_id_number", "applicant_name",
    "applicant_phone", "household_id", "registered_county_code", "residence_village_code",
    "handling_county_code", "emergency_county_code", "origin", "discovery_channel", "case_status",
    "applied_date", "approved_date", "terminated_date", "monthly_amount", "one_off_amount",
    "created_at", "updated_at",
]  # fmt: skip
SURVEY_COLUMNS = [
    "submission_id", "village_code", "survey_month", "left_behind_children", "migrant_children",
    "submitted_by_name", "submitted_at", "updated_at",
]  # fmt: skip

# Emergencies outside Taizhou: Nanjing, Suzhou, Yangzhou, Nantong, Shanghai Pudong.
OUTSIDE_COUNTIES = ("320102", "320506", "321002", "320602", "310115")


# (active stock at the start, new applications a year, rejection share, termination hazard a year)
CASE_TYPES: dict[str, tuple[int, int, float, float]] = {
    "低保": (35_000, 7_000, 0.12, 0.18),
    "特困": (14_000, 2_600, 0.08, 0.09),
    "临时救助": (0, 15_000, 0.07, 0.0),
}


def _cases_of_type(
    rng: np.random.Generator,
    case_type: str,
    scale: float,
    start: date,
    end: date,
) -> pd.DataFrame:
    stock_n, per_year, reject, hazard = CASE_TYPES[case_type]
    start64, end64 = d64(start), d64(end)
    years = ((end64 - start64) / DAY + 1) / 365.0
    n_stock = scaled(stock_n, scale)
    n_new = scaled(per_year * years, scale)
    n = n_stock + n_new
    weights = np.array([PROFILES[c].assistance_share for c in COUNTIES])
    registered = pick(rng, COUNTIES, n, weights).astype(str)

    applied = np.concatenate(
        [
            random_dates(rng, "2012-01-01", start64 - 60 * DAY, n_stock),
            random_dates(rng, start, end, n_new),
        ]
    )
    lag = rng.integers(3, 20, n) if case_type == "临时救助" else rng.integers(7, 40, n)
    decided = applied + lag * DAY
    is_stock = np.arange(n) < n_stock
    rejected = ~is_stock & (rng.random(n) < reject)
    pending = ~is_stock & (decided > end64)
    approved = ~rejected & ~pending

    # Termination: exponential time after approval (or after the window start for the stock).
    term_from = np.where(is_stock, start64, decided)
    wait_days = rng.exponential(365.0 / hazard, n) if hazard > 0 else np.full(n, np.inf)
    term_days = np.minimum(wait_days, 10_000).astype(np.int64)
    terminated_on = term_from + term_days * DAY + DAY
    terminated = approved & (hazard > 0) & (terminated_on <= end64)

    status = np.where(
        pending, "审核中", np.where(rejected, "不予批准", np.where(terminated, "已终止", "已批准"))
    )
    nat = np.datetime64("NaT", "D")
    approved_date = np.where(approved, decided, nat)
    terminated_date = np.where(terminated, terminated_on, nat)

    # 临时救助: where the emergency happened, and who handled it.
    emergency = np.full(n, None, dtype=object)
    handling = registered.copy()
    if case_type == "临时救助":
        u = rng.random(n)
        other = pick(rng, COUNTIES, n, weights).astype(str)
        outside = pick(rng, OUTSIDE_COUNTIES, n).astype(str)
        em = np.where(u < 0.82, registered, np.where(u < 0.97, other, outside))
        direct_rate = by_county(em, "sa01_direct_rate", 0.0).astype(float)
        cross_local = (em != registered) & np.isin(em, COUNTIES)
        handling = np.where(cross_local & (rng.random(n) < direct_rate), em, registered)
        emergency = em.astype(object)

    active_rate = by_county(handling, "sa03_active_rate").astype(float)
    found = rng.random(n) < active_rate
    origin = np.where(found, "主动发现", "依申请")
    channel = pick(rng, ("监测预警", "网格员排查", "入户走访"), n, (0.5, 0.3, 0.2))
    channel[~found] = None

    # The applicant.
    age_lo, age_hi = {"低保": (28, 85), "特困": (16, 96), "临时救助": (20, 80)}[case_type]
    age_days = rng.integers(age_lo * 365, age_hi * 365, n)
    birth = applied - age_days * DAY
    male = rng.random(n) < 0.55
    # 姜堰 people registered before 2013 often still carry the old 321284 prefix.
    id_county = np.where(
        (registered == "321204") & (birth < d64("2000-01-01")) & (rng.random(n) < 0.6),
        "321284",
        registered,
    )
    ids = generate_id_numbers(rng, id_county, birth, male)

    villages = real_villages()
    village_codes = np.empty(n, dtype=object)
    for county in COUNTIES:
        mask = registered == county
        codes = villages.loc[villages["county_code"] == county, "code"].to_numpy()
        village_codes[mask] = codes[rng.integers(0, len(codes), mask.sum())]

    if case_type == "低保":
        size = rng.choice([1, 2, 3, 4], n, p=[0.45, 0.3, 0.17, 0.08])
        monthly = np.round(size * 840 * rng.uniform(0.35, 1.0, n), 2)
        amounts = np.char.mod("%.2f", monthly).astype(object)
        one_off = np.full(n, None, dtype=object)
    elif case_type == "特困":
        monthly = 1092 + rng.choice([0, 270, 540, 1092], n, p=[0.5, 0.25, 0.15, 0.1])
        amounts = np.char.mod("%.2f", monthly.astype(float)).astype(object)
        one_off = np.full(n, None, dtype=object)
    else:
        amounts = np.full(n, None, dtype=object)
        one_off_v = np.clip(np.round(rng.lognormal(np.log(2000), 0.7, n), -1), 300, 20_000)
        one_off = np.char.mod("%.2f", one_off_v).astype(object)
    kind = (
        pick(rng, ("急难型", "支出型"), n, (0.6, 0.4))
        if case_type == "临时救助"
        else np.full(n, None, dtype=object)
    )

    created = office_times(rng, applied)
    updated = created.copy()
    for when, mask in ((decided, ~pending), (terminated_on, terminated)):
        stamps = office_times(rng, when)
        updated = np.where(mask & (stamps > updated), stamps, updated)
    # Corrections (address, phone, amount) touched later by caseworkers.
    end_ts = (end64 + DAY).astype("datetime64[s]") - SECOND
    touched = rng.random(n) < 0.03
    touch_at = updated + (rng.integers(1, 90 * 86_400, n)) * SECOND
    updated = np.where(touched & (touch_at <= end_ts), touch_at, updated)

    return pd.DataFrame(
        {
            "case_type": case_type,
            "temp_assistance_kind": kind,
            "applicant_id_number": ids.astype(object),
            "applicant_name": random_names(rng, male).astype(object),
            "applicant_phone": random_mobiles(rng, n).astype(object),
            "registered_county_code": registered.astype(object),
            "residence_village_code": village_codes,
            "handling_county_code": handling.astype(object),
            "emergency_county_code": emergency,
            "origin": origin.astype(object),
            "discovery_channel": channel,
            "case_status": status.astype(object),
            "applied_date": date_text(applied),
            "approved_date": date_text(approved_date),
            "terminated_date": date_text(terminated_date),
            "monthly_amount": amounts,
            "one_off_amount": one_off,
            "_created": created,
            "_updated": updated,
        }
    )


def _surveys(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    villages = real_villages()
    months = pd.period_range(start, end, freq="M")
    nv, nm = len(villages), len(months)
    directors = random_names(rng, rng.random(nv) < 0.3)
    county = villages["county_code"].to_numpy()
    rate = by_county(county, "ch04_submit_rate").astype(float)
    rural = (villages["unit_type"] == "村委会").to_numpy()

    v_idx = np.tile(np.arange(nv), nm)
    m_idx = np.repeat(np.arange(nm), nv)
    keep = rng.random(nv * nm) < rate[v_idx]
    v_idx, m_idx = v_idx[keep], m_idx[keep]
    n = len(v_idx)
    month_start = np.array([p.start_time.to_datetime64() for p in months], dtype="datetime64[D]")
    days = month_start[m_idx] + rng.integers(4, 27, n) * DAY
    submitted = office_times(rng, days)
    resubmitted = rng.random(n) < 0.05
    end_ts = (d64(end) + DAY).astype("datetime64[s]") - SECOND
    later = submitted + rng.integers(86_400, 10 * 86_400, n) * SECOND
    updated = np.where(resubmitted & (later <= end_ts), later, submitted)
    frame = pd.DataFrame(
        {
            "village_code": villages["code"].to_numpy()[v_idx],
            "survey_month": np.array([str(p) for p in months], dtype=object)[m_idx],
            "left_behind_children": np.where(rural[v_idx], rng.poisson(12, n), rng.poisson(3, n)),
            "migrant_children": np.where(rural[v_idx], rng.poisson(4, n), rng.poisson(15, n)),
            "submitted_by_name": directors[v_idx].astype(object),
            "_submitted": submitted,
            "_updated": updated,
        }
    )
    frame = frame.sort_values(["_submitted", "village_code"], kind="stable").reset_index(drop=True)
    frame.insert(0, "submission_id", prefixed_ids("CS", 2_000_000_000, len(frame)))
    frame["submitted_at"] = iso_local(frame["_submitted"].to_numpy())
    frame["updated_at"] = iso_local(frame["_updated"].to_numpy())
    return frame[SURVEY_COLUMNS]


def simulate_smart_assistance(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 2024,
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    bad_id_rate: float = 0.002,
    progress_bar: bool = True,
    shared: Mapping[str, pd.DataFrame] | None = None,
) -> SystemResult:
    """Write ``out_dir/store.sqlite`` and return counts, injected dirt and the clean state."""
    rng = np.random.default_rng([seed, 1])
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = [
        _cases_of_type(rng, case_type, scale, start, end)
        for case_type in progress(CASE_TYPES, "smart_assistance cases", progress_bar)
    ]
    cases = pd.concat(parts, ignore_index=True)
    cases = cases.sort_values(["_created", "case_type"], kind="stable").reset_index(drop=True)
    n = len(cases)
    cases.insert(0, "case_id", prefixed_ids("SA", 1_000_000_000, n))
    household = rng.choice(9_000_000_000, size=n, replace=False) + 1_000_000_000
    cases["household_id"] = np.char.add("HH", household.astype(str)).astype(object)
    cases["created_at"] = iso_local(cases["_created"].to_numpy())
    cases["updated_at"] = iso_local(cases["_updated"].to_numpy())
    cases = cases[CASE_COLUMNS]

    clean = cases.copy()
    n_bad = round(n * bad_id_rate)
    bad_idx = (
        np.sort(rng.choice(n, size=n_bad, replace=False)) if n_bad else np.array([], dtype=int)
    )
    served = cases.copy()
    if n_bad:
        served.loc[bad_idx, "applicant_id_number"] = corrupt_check_chars(
            rng, served.loc[bad_idx, "applicant_id_number"].to_numpy(str)
        )

    surveys = _surveys(rng, start, end)

    path = out_dir / STORE_NAME
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        write_sqlite_table(conn, "assistance_cases", served, {}, "case_id")
        write_sqlite_table(
            conn,
            "child_survey_submissions",
            surveys,
            {"left_behind_children": "INTEGER", "migrant_children": "INTEGER"},
            "submission_id",
        )
    conn.close()

    bad_keys = served.loc[bad_idx, "case_id"].tolist()
    return SystemResult(
        counts={"assistance_cases": n, "child_survey_submissions": len(surveys)},
        injected={
            "bad_id_check_digit": {"assistance_cases": {"count": len(bad_keys), "keys": bad_keys}},
            "status_changes": {
                "assistance_cases": int((cases["updated_at"] != cases["created_at"]).sum()),
                "child_survey_submissions": int(
                    (surveys["updated_at"] != surveys["submitted_at"]).sum()
                ),
            },
        },
        state={"assistance_cases": clean, "child_survey_submissions": surveys},
    )

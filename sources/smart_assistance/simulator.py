"""Simulated 智慧救助管理服务平台 store.

Assistance cases and the monthly children survey (here); persons with a disability and every
subsidy payment (payments.py); monitoring alerts and project services (monitoring.py); children in
difficulty, minor-protection stations, child workers and their trainings (children.py).

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
from sources.common.regions import COUNTIES, real_villages, with_retired_codes
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
from sources.smart_assistance.children import (
    child_allowance_payments,
    child_workers,
    children_in_difficulty,
    minor_protection_stations,
    worker_trainings,
)
from sources.smart_assistance.monitoring import monitoring_alerts, project_services
from sources.smart_assistance.params import CITY
from sources.smart_assistance.payments import (
    case_payments,
    disabled_persons,
    month_text,
    two_subsidy_payments,
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

PERSON_COLUMNS = [
    "person_id", "id_number", "person_name", "sex", "birth_date", "registered_county_code",
    "residence_village_code", "household_category", "disability_grade", "disability_type",
    "disability_cert_date", "created_at", "updated_at",
]  # fmt: skip
PAYMENT_COLUMNS = [
    "payment_id", "recipient_id_number", "recipient_name", "subsidy_type", "case_id",
    "temp_assistance_kind", "payment_month", "amount", "paying_county_code", "paid_date",
    "created_at", "updated_at",
]  # fmt: skip
ALERT_COLUMNS = [
    "alert_id", "person_id_number", "person_name", "county_code", "village_code", "alert_type",
    "alert_level", "raised_at", "closed_at", "decision", "alert_status", "created_at", "updated_at",
]  # fmt: skip
SERVICE_COLUMNS = [
    "service_id", "project_name", "beneficiary_id_number", "beneficiary_name", "county_code",
    "village_code", "service_content", "service_date", "service_status", "created_at", "updated_at",
]  # fmt: skip
CHILD_COLUMNS = [
    "child_id", "id_number", "child_name", "sex", "birth_date", "child_category", "care_mode",
    "county_code", "village_code", "eligible_from", "eligible_to", "monthly_standard",
    "guardian_phone", "created_at", "updated_at",
]  # fmt: skip
STATION_COLUMNS = [
    "station_id", "station_name", "county_code", "town_code", "station_level", "established_date",
    "provincial_demo_date", "created_at", "updated_at",
]  # fmt: skip
WORKER_COLUMNS = [
    "worker_id", "worker_name", "worker_phone", "worker_role", "county_code", "unit_code",
    "appointed_date", "left_date", "created_at", "updated_at",
]  # fmt: skip
TRAINING_COLUMNS = [
    "training_id", "worker_id", "training_name", "training_level", "training_date",
    "training_hours", "created_at", "updated_at",
]  # fmt: skip
# Entity -> (key, columns) of every table the store serves beyond cases and surveys.
ENTITY_TABLES: dict[str, tuple[str, list[str]]] = {
    "persons": ("person_id", PERSON_COLUMNS),
    "subsidy_payments": ("payment_id", PAYMENT_COLUMNS),
    "monitoring_alerts": ("alert_id", ALERT_COLUMNS),
    "project_services": ("service_id", SERVICE_COLUMNS),
    "children_in_difficulty": ("child_id", CHILD_COLUMNS),
    "protection_stations": ("station_id", STATION_COLUMNS),
    "child_workers": ("worker_id", WORKER_COLUMNS),
    "worker_trainings": ("training_id", TRAINING_COLUMNS),
}

# Where emergencies outside the city happen (nearby cities' counties).
OUTSIDE_COUNTIES = tuple(str(code) for code in CITY["emergency_counties_outside"])


# (active stock at the start, new applications a year, rejection share, termination hazard a year)
CASE_TYPES: dict[str, tuple[int, int, float, float]] = {
    kind: (int(stock), int(per_year), float(rejected), float(hazard))
    for kind, (stock, per_year, rejected, hazard) in CITY["case_types"].items()
}


def cases_of_type(
    rng: np.random.Generator,
    case_type: str,
    scale: float,
    start: date,
    end: date,
    counts: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Cases of one type: the active stock at ``start`` and the applications in the window.

    ``counts`` (stock, new) overrides the scaled volumes (the daily advance draws its own).
    """
    stock_n, per_year, reject, hazard = CASE_TYPES[case_type]
    start64, end64 = d64(start), d64(end)
    years = ((end64 - start64) / DAY + 1) / 365.0
    if counts is None:
        n_stock, n_new = scaled(stock_n, scale), scaled(per_year * years, scale)
    else:
        n_stock, n_new = counts
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
    # People of a district that took over a retired code, born before the change, often still
    # carry it.
    id_county = with_retired_codes(rng, registered, birth, float(CITY["retired_code_share"]))
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


def survey_children_counts(
    rng: np.random.Generator, rural: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Left-behind and migrant children a village reports: villages (村) hold more left-behind
    children, urban communities (居) more migrant ones."""
    n = len(rural)
    left_behind = np.where(rural, rng.poisson(12, n), rng.poisson(3, n))
    migrant = np.where(rural, rng.poisson(4, n), rng.poisson(15, n))
    return left_behind, migrant


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
    left_behind, migrant = survey_children_counts(rng, rural[v_idx])
    frame = pd.DataFrame(
        {
            "village_code": villages["code"].to_numpy()[v_idx],
            "survey_month": np.array([str(p) for p in months], dtype=object)[m_idx],
            "left_behind_children": left_behind,
            "migrant_children": migrant,
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


def _stamps(
    rng: np.random.Generator,
    created_days: np.ndarray,
    changed_days: np.ndarray | None,
    end: date,
    touch_rate: float = 0.02,
) -> tuple[np.ndarray, np.ndarray]:
    """created_at on the record's first day, updated_at on its last change (if any) or a later
    caseworker correction; both ISO text with +08:00, never after the window end."""
    end_ts = (d64(end) + DAY).astype("datetime64[s]") - SECOND
    created = np.minimum(office_times(rng, created_days), end_ts)
    updated = created.copy()
    if changed_days is not None:
        changed = np.asarray(changed_days, dtype="datetime64[D]")
        has = ~np.isnat(changed)
        stamps = office_times(rng, np.where(has, changed, created_days))
        updated = np.where(has & (stamps > updated), np.minimum(stamps, end_ts), updated)
    touched = rng.random(len(created)) < touch_rate
    touch_at = updated + rng.integers(1, 60 * 86_400, len(created)) * SECOND
    updated = np.where(touched & (touch_at <= end_ts), touch_at, updated)
    return iso_local(created), iso_local(updated)


def _with_ids(frame: pd.DataFrame, key: str, prefix: str, first: int) -> pd.DataFrame:
    frame = frame.sort_values(["created_at", "updated_at"], kind="stable").reset_index(drop=True)
    frame.insert(0, key, prefixed_ids(prefix, first, len(frame)))
    return frame


def _line_entities(
    rng: np.random.Generator, cases: pd.DataFrame, scale: float, start: date, end: date
) -> tuple[dict[str, pd.DataFrame], dict[str, object], pd.DataFrame]:
    """The SA and CH entities beyond cases and surveys, the dirt injected, and recipient deaths."""
    end64 = d64(end)
    taken = set(cases["applicant_id_number"])
    persons = disabled_persons(rng, scale, start, end, taken)
    taken |= set(persons["id_number"])
    kids = children_in_difficulty(rng, scale, start, end, taken)

    # Persons with a disability.
    created, updated = _stamps(rng, persons["_certified"].to_numpy("datetime64[D]"), None, end)
    persons["created_at"], persons["updated_at"] = created, updated
    person_table = _with_ids(persons, "person_id", "CJ", 3_000_000_000)[PERSON_COLUMNS]

    # Payments of every subsidy, one row per person, subsidy and month.
    child_pay, child_dirt = child_allowance_payments(rng, kids, start, end)
    pay = pd.concat(
        [
            case_payments(rng, cases, start, end),
            two_subsidy_payments(rng, persons, start, end),
            child_pay,
        ],
        ignore_index=True,
    )
    paid = np.minimum(pay["_paid"].to_numpy("datetime64[D]"), end64)
    pay["payment_month"] = month_text(pay["_month"].to_numpy())
    pay["paid_date"] = date_text(paid)
    pay["amount"] = np.char.mod("%.2f", pay["amount"].to_numpy(float)).astype(object)
    created, updated = _stamps(rng, paid, None, end, touch_rate=0.005)
    pay["created_at"], pay["updated_at"] = created, updated
    pay = pay.sort_values(
        ["created_at", "subsidy_type", "recipient_id_number", "payment_month"], kind="stable"
    ).reset_index(drop=True)
    pay.insert(0, "payment_id", prefixed_ids("PM", 4_000_000_000, len(pay)))
    tagged = pay[pay["_dirt"] != ""].groupby("_dirt")["payment_id"].agg(list)
    dirt = {
        tag: {"count": len(keys), "keys": keys[:200]}
        for tag, keys in tagged.items()
        if tag != "child_underpaid"
    }
    child_dirt["child_underpaid_payments"] = len(tagged.get("child_underpaid", []))
    payments = pay[PAYMENT_COLUMNS]

    # Monitoring alerts.
    alerts = monitoring_alerts(rng, scale, start, end)
    alerts["raised_at"] = iso_local(alerts["_raised"].to_numpy())
    closed = alerts["_closed"].to_numpy("datetime64[s]")
    alerts["closed_at"] = np.where(
        np.isnat(closed), np.full(len(closed), None, dtype=object), iso_local(closed)
    )
    alerts["created_at"] = alerts["raised_at"]
    alerts["updated_at"] = iso_local(alerts["_touched"].to_numpy())
    alerts = _with_ids(alerts, "alert_id", "YJ", 5_000_000_000)[ALERT_COLUMNS]

    # Project services; a cancellation is an update.
    services = project_services(rng, scale, start, end)
    served = services["_served"].to_numpy("datetime64[D]")
    cancel_day = served + rng.integers(1, 10, len(services)) * DAY
    cancelled = services["_cancelled"].to_numpy(bool) & (cancel_day <= end64)
    services["service_status"] = np.where(cancelled, "已取消", "已完成").astype(object)
    created, updated = _stamps(
        rng, served, np.where(cancelled, cancel_day, np.datetime64("NaT", "D")), end, 0.0
    )
    services["created_at"], services["updated_at"] = created, updated
    services = _with_ids(services, "service_id", "FW", 6_000_000_000)[SERVICE_COLUMNS]

    # Children in difficulty.
    created, updated = _stamps(
        rng, kids["_from"].to_numpy("datetime64[D]"), kids["_to"].to_numpy("datetime64[D]"), end
    )
    kids["created_at"], kids["updated_at"] = created, updated
    kids["monthly_standard"] = np.char.mod("%.2f", kids["monthly_standard"].to_numpy(float))
    kids["monthly_standard"] = kids["monthly_standard"].astype(object)
    children = _with_ids(kids, "child_id", "ET", 7_000_000_000)[CHILD_COLUMNS]

    # Minor-protection stations.
    stations = minor_protection_stations(rng, start, end)
    created, updated = _stamps(
        rng,
        stations["_created"].to_numpy("datetime64[D]"),
        stations["_changed"].to_numpy("datetime64[D]"),
        end,
    )
    stations["created_at"], stations["updated_at"] = created, updated
    stations = _with_ids(stations, "station_id", "WB", 8_000_000_000)[STATION_COLUMNS]

    # Child workers and their trainings.
    workers = child_workers(rng, start, end)
    created, updated = _stamps(
        rng,
        workers["_appointed"].to_numpy("datetime64[D]"),
        workers["_left"].to_numpy("datetime64[D]"),
        end,
    )
    workers["created_at"], workers["updated_at"] = created, updated
    workers.insert(0, "worker_id", prefixed_ids("ER", 8_500_000_000, len(workers)))
    trainings = worker_trainings(rng, workers, start, end)
    trainings["worker_id"] = workers["worker_id"].to_numpy()[trainings["_worker"].to_numpy()]
    created, updated = _stamps(rng, trainings["_trained"].to_numpy("datetime64[D]"), None, end)
    trainings["created_at"], trainings["updated_at"] = created, updated
    trainings = _with_ids(trainings, "training_id", "PX", 9_000_000_000)[TRAINING_COLUMNS]

    dead = persons[~persons["_death"].isna()]
    deaths = pd.DataFrame(
        {
            "deceased_id_number": dead["id_number"].to_numpy(),
            "deceased_name": dead["person_name"].to_numpy(),
            "sex": dead["sex"].to_numpy(),
            "birth_date": dead["birth_date"].to_numpy(),
            "death_date": date_text(dead["_death"].to_numpy("datetime64[D]")),
            "registration_county_code": dead["registered_county_code"].to_numpy(),
        }
    )
    tables = {
        "persons": person_table,
        "subsidy_payments": payments,
        "monitoring_alerts": alerts,
        "project_services": services,
        "children_in_difficulty": children,
        "protection_stations": stations,
        "child_workers": workers[WORKER_COLUMNS],
        "worker_trainings": trainings,
    }
    injected: dict[str, object] = {"sa02_payments": dirt, "ch03_child_months": child_dirt}
    return tables, injected, deaths


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
        cases_of_type(rng, case_type, scale, start, end)
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
    line_rng = np.random.default_rng([seed, 1, 2])
    tables, line_dirt, recipient_deaths = _line_entities(line_rng, clean, scale, start, end)

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
        for entity, table in tables.items():
            write_sqlite_table(conn, entity, table, {}, ENTITY_TABLES[entity][0])
    conn.close()

    bad_keys = served.loc[bad_idx, "case_id"].tolist()
    return SystemResult(
        counts={
            "assistance_cases": n,
            "child_survey_submissions": len(surveys),
            **{entity: len(table) for entity, table in tables.items()},
        },
        injected={
            "bad_id_check_digit": {"assistance_cases": {"count": len(bad_keys), "keys": bad_keys}},
            "status_changes": {
                "assistance_cases": int((cases["updated_at"] != cases["created_at"]).sum()),
                "child_survey_submissions": int(
                    (surveys["updated_at"] != surveys["submitted_at"]).sum()
                ),
                **{
                    entity: int((table["updated_at"] != table["created_at"]).sum())
                    for entity, table in tables.items()
                },
            },
            **line_dirt,
            "recipient_deaths": len(recipient_deaths),
        },
        state={
            "assistance_cases": clean,
            "child_survey_submissions": surveys,
            **tables,
            "recipient_deaths": recipient_deaths,
        },
    )

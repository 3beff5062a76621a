"""The elderly-care database one day on, table by table.

Event tables (orders, visits, trainings, bed changes) grow at the pace of their last year, each
new row following a recent one's who and where; residents enter the platform on their 60th
birthday; staff are hired, leave and get certified; ratings are renewed near expiry; meal points
open and points are upgraded; service organizations are recognized. A change rewrites the row
with ``updated_at`` on the day, which is what the ``updated_at`` watermark extract reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sources.common import advancing
from sources.common.advancing import (
    ChangeLog,
    count_between,
    daily_chance,
    daily_count,
    day_rng,
    insert_rows,
    read_rows,
    sample_recent,
    update_rows,
    years_before,
)
from sources.common.identity import distinct_id_numbers, generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, real_villages, villages_in
from sources.common.simtools import d64, pick, random_dates, sql_local
from sources.elderly_care import params
from sources.elderly_care.facilities import (
    MEAL_POINT,
    RATING_DAYS,
    RECOGNITION_TYPES,
    UPGRADE_LEVELS,
    rating_grades,
)
from sources.elderly_care.params import EC_PROFILES
from sources.elderly_care.residents import (
    CANCELLED_ORDER_SHARE,
    SERVICE_TYPE_SHARES,
    SERVICE_TYPES,
    SMART_COURSES,
    VISIT_METHOD_SHARES,
    VISIT_METHODS,
    VISITOR_ROLES,
    YES_NO,
    order_amounts,
)
from sources.elderly_care.simulator import DB_NAME
from sources.elderly_care.staff import (
    CERTIFICATE_DAYS,
    SKILL_LEVEL_SHARES,
    SKILL_LEVELS,
    rotation_courses,
)

SYSTEM = 2  # the system's random stream (the full simulation's order)
# Residents from this number on are the full simulation's strays (unknown villages): never
# continued, never sampled for new activity.
STRAY_RESIDENTS_FROM = 90_000_001
FLAGS = ("living_alone", "left_behind", "disabled", "low_income")
FLAG_RATES = {
    "living_alone": params.LIVING_ALONE_RATE,
    "left_behind": params.LEFT_BEHIND_RATE,
    "disabled": params.DISABLED_RATE,
    "low_income": params.LOW_INCOME_RATE,
}
# A resident's circumstances (one flag) are updated for about 2% of residents a year.
FLAG_CHANGE_RATE = 0.02
# Orders cancelled within three days of service, a small share of them.
ORDER_CANCEL_WITHIN_DAYS, ORDER_CANCEL_CHANCE = 3, 0.005
# Yearly hazards of caregivers leaving and of the uncertified getting certified.
STAFF_LEAVE_HAZARD, STAFF_CERTIFICATION_HAZARD = 0.06, 0.10
# Regional centres not yet standardized reach the level at this yearly hazard.
STANDARDIZATION_HAZARD = 0.3
# A rating expiring within 60 days is renewed at this daily chance (60% of them in time).
RENEWAL_WINDOW_DAYS, RENEWAL_CHANCE = 60, 0.6 / 60
# New meal points a year, as a share of those operating.
MEAL_POINTS_NEW_SHARE = 0.05


@dataclass
class _Day(advancing.StoreDay):
    @property
    def year_ago(self) -> str:
        return (self.day - timedelta(days=365)).isoformat()

    def before(self, days: int) -> str:
        return (self.day - timedelta(days=days)).isoformat()

    def stamp_text(self, times: np.ndarray) -> np.ndarray:
        return sql_local(times)  # ``YYYY-MM-DD HH:MM:SS``, local time

    def dates_back(self, n: int, most: int) -> np.ndarray:
        """Dates up to ``most`` days before the day (entries lag the event a little)."""
        days = d64(self.day) - self.rng.integers(0, most + 1, n) * np.timedelta64(1, "D")
        return np.datetime_as_string(days, unit="D").astype(object)

    def next_integers(self, table: str, key: str, n: int) -> np.ndarray:
        (largest,) = self.conn.execute(f'SELECT MAX("{key}") FROM "{table}"').fetchone()
        return int(largest or 0) + 1 + np.arange(n, dtype=np.int64)

    def pace(self, table: str) -> float:
        """Rows a year the table grew by over the last year."""
        return count_between(self.conn, table, "updated_at", self.year_ago, self.text)

    def record(self, table: str, *, added: pd.DataFrame | None = None,
               changed: pd.DataFrame | None = None, key: str = "") -> None:  # fmt: skip
        if changed is not None:
            self.log.record(table, changed=update_rows(self.conn, table, key, changed))
        if added is not None:
            self.log.record(table, added=insert_rows(self.conn, table, added))


def advance_day(out_dir: Path, day: date, *, seed: int, scale: float, shared: dict) -> ChangeLog:
    """Write one day of the platform's life into ``out_dir/elderly_care.sqlite``."""
    conn = sqlite3.connect(out_dir / DB_NAME)
    try:
        with conn:
            today = _Day(conn, day_rng(seed, SYSTEM, day), day, scale)
            _residents(today)
            _orders(today)
            _visits(today)
            _smart_trainings(today)
            _staff(today)
            _institutions(today)
            _facilities(today)
            _service_organizations(today)
    finally:
        conn.close()
    return today.log


# --- residents and what they receive -----------------------------------------------------------


def _residents(today: _Day) -> None:
    """Residents' circumstances change; those turning 60 today enter the platform."""
    rng, day = today.rng, today.day
    (count,) = today.conn.execute("SELECT COUNT(*) FROM older_residents").fetchone()
    changed = sample_recent(
        today.conn,
        rng,
        "older_residents",
        "",
        daily_count(rng, count * FLAG_CHANGE_RATE),
        ["resident_id", *FLAGS],
    ).drop_duplicates("resident_id")
    flag = rng.integers(0, len(FLAGS), len(changed))
    for i, name in enumerate(FLAGS):
        flip = flag == i
        changed.loc[flip, name] = np.where(changed.loc[flip, name] == "是", "否", "是")
    changed["updated_at"] = today.stamps(len(changed))
    today.record("older_residents", changed=changed, key="resident_id")

    birthday = years_before(day, 60).isoformat()
    cohort = count_between(
        today.conn,
        "older_residents",
        "birth_date",
        years_before(day, 61).isoformat(),
        birthday,
    )
    n = daily_count(rng, cohort)
    # The full simulation lists everyone 60 by the end of its last year: a clock stopped before
    # the year end finds today's birthday cohort on the platform already.
    listed = today.conn.execute(
        "SELECT 1 FROM older_residents WHERE birth_date = ? LIMIT 1", [birthday]
    ).fetchone()
    if listed:
        n = 0
    shares = np.array([PROFILES[c].population_share for c in COUNTIES])
    county = pick(rng, COUNTIES, n, shares).astype(str)
    male = rng.random(n) < 0.47
    births = np.full(n, np.datetime64(birthday, "D"))
    # Nobody else shares the birthday: only the new residents need be told apart.
    ids = distinct_id_numbers(rng, generate_id_numbers(rng, county, births, male), set())
    new = pd.DataFrame(
        {
            "resident_id": today.next_keys(
                "older_residents", "resident_id", "LN", n, below=f"LN{STRAY_RESIDENTS_FROM}"
            ),
            "id_number": ids.astype(object),
            "resident_name": random_names(rng, male).astype(object),
            "sex": np.where(male, "男", "女").astype(object),
            "birth_date": birthday,
            "village_code": villages_in(rng, county),
            **{flag: YES_NO[(rng.random(n) < FLAG_RATES[flag]).astype(int)] for flag in FLAGS},
            "updated_at": today.stamps(n),
        }
    )
    today.record("older_residents", added=new)


def _active_residents(today: _Day, n: int) -> np.ndarray:
    """``n`` random residents (strays excluded)."""
    sample = sample_recent(today.conn, today.rng, "older_residents", "", n, ["resident_id"])
    ids = sample["resident_id"].to_numpy(str)
    return ids[ids < f"LN{STRAY_RESIDENTS_FROM}"].astype(object)


def _orders(today: _Day) -> None:
    """Recent clients order again (same provider and funding); a few recent orders are cancelled."""
    rng = today.rng
    recent = read_rows(
        today.conn,
        "SELECT order_id FROM home_service_orders WHERE updated_at >= ? AND service_date >= ? "
        "AND service_date < ? AND order_status = '已完成' ORDER BY order_id",
        [today.before(ORDER_CANCEL_WITHIN_DAYS + 3), today.before(ORDER_CANCEL_WITHIN_DAYS),
         today.text],
    )  # fmt: skip
    cancelled = recent[rng.random(len(recent)) < ORDER_CANCEL_CHANCE].copy()
    cancelled["order_status"] = "已取消"
    cancelled["updated_at"] = today.stamps(len(cancelled))
    today.record("home_service_orders", changed=cancelled, key="order_id")

    n = daily_count(rng, today.pace("home_service_orders"))
    new = sample_recent(
        today.conn,
        rng,
        "home_service_orders",
        today.year_ago,
        n,
        ["resident_id", "provider_org_id", "is_government_purchased"],
    )
    n = len(new)
    new.insert(0, "order_id", today.next_integers("home_service_orders", "order_id", n))
    new["service_type"] = pick(rng, SERVICE_TYPES, n, SERVICE_TYPE_SHARES)
    new["service_date"] = today.dates_back(n, 2)
    new["order_status"] = np.where(rng.random(n) < CANCELLED_ORDER_SHARE, "已取消", "已完成")
    new["amount"] = order_amounts(rng, n)
    new["updated_at"] = today.stamps(n)
    today.record("home_service_orders", added=new)


def _visits(today: _Day) -> None:
    """Flagged residents are visited again (the recent visits say who is on the list)."""
    rng = today.rng
    n = daily_count(rng, today.pace("care_visits"))
    new = sample_recent(today.conn, rng, "care_visits", today.year_ago, n, ["resident_id"])
    n = len(new)
    new.insert(0, "visit_id", today.next_integers("care_visits", "visit_id", n))
    new["visit_date"] = today.dates_back(n, 3)
    new["visit_method"] = pick(rng, VISIT_METHODS, n, VISIT_METHOD_SHARES)
    new["visitor_role"] = pick(rng, VISITOR_ROLES, n)
    new["updated_at"] = today.stamps(n)
    today.record("care_visits", added=new)


def _smart_trainings(today: _Day) -> None:
    rng = today.rng
    residents = _active_residents(today, daily_count(rng, today.pace("smart_tech_trainings")))
    n = len(residents)
    new = pd.DataFrame(
        {
            "attendance_id": today.next_integers("smart_tech_trainings", "attendance_id", n),
            "resident_id": residents,
            "course": pick(rng, SMART_COURSES, n),
            "training_date": today.before(1),
            "updated_at": today.stamps(n),
        }
    )
    today.record("smart_tech_trainings", added=new)


# --- staff ------------------------------------------------------------------------------------


def _staff(today: _Day) -> None:
    """Caregivers leave and get certified, institutions hire, staff in post attend rotation."""
    rng, day = today.rng, today.day
    staff = read_rows(today.conn, "SELECT * FROM care_staff ORDER BY staff_id")
    n = len(staff)
    in_post = staff["left_date"].isna().to_numpy(bool) & (
        staff["hired_date"].to_numpy(str) < today.text
    )
    caregiver = staff["role"].to_numpy(str) == "养老护理员"
    leaving = in_post & caregiver & (rng.random(n) < daily_chance(STAFF_LEAVE_HAZARD))
    certifying = (
        in_post
        & caregiver
        & ~leaving
        & staff["certified_date"].isna().to_numpy(bool)
        & (rng.random(n) < daily_chance(STAFF_CERTIFICATION_HAZARD))
    )
    changed = staff[leaving | certifying].copy()
    left = leaving[leaving | certifying]
    certified = ~left
    changed.loc[left, "left_date"] = today.text
    changed.loc[certified, "skill_level"] = pick(
        rng, SKILL_LEVELS, int(certified.sum()), SKILL_LEVEL_SHARES
    )
    changed.loc[certified, "certified_date"] = today.text
    changed.loc[certified, "certificate_valid_until"] = (
        day + timedelta(days=CERTIFICATE_DAYS)
    ).isoformat()
    changed["updated_at"] = today.stamps(len(changed))
    today.record("care_staff", changed=changed, key="staff_id")

    hired_last_year = int(
        ((staff["hired_date"] >= today.year_ago) & (staff["hired_date"] < today.text)).sum()
    )
    hires = daily_count(rng, hired_last_year)
    homes = read_rows(
        today.conn,
        "SELECT institution_id, county_code FROM institutions "
        "WHERE closed_date IS NULL AND opened_date < ? ORDER BY institution_id",
        [today.text],
    )
    if hires and len(homes):
        home = homes.iloc[rng.integers(0, len(homes), hires)]
        male = rng.random(hires) < 0.25
        birth = random_dates(rng, years_before(day, 60), years_before(day, 20), hires)
        ids = generate_id_numbers(rng, home["county_code"].to_numpy(str), birth, male)
        ids = distinct_id_numbers(rng, ids, set(staff["id_number"]))
        new = pd.DataFrame(
            {
                "staff_id": today.next_keys("care_staff", "staff_id", "HL", hires),
                "id_number": ids.astype(object),
                "staff_name": random_names(rng, male).astype(object),
                "institution_id": home["institution_id"].to_numpy(object),
                "role": "养老护理员",
                "hired_date": today.text,
                "left_date": None,
                "skill_level": None,
                "certified_date": None,
                "certificate_valid_until": None,
                "updated_at": today.stamps(hires),
            }
        )
        today.record("care_staff", added=new)

    trained = daily_count(rng, today.pace("rotation_trainings"))
    pool = staff[in_post & ~leaving]
    if trained and len(pool):
        who = pool.iloc[rng.integers(0, len(pool), trained)]
        trainings = pd.DataFrame(
            {
                "training_id": today.next_integers("rotation_trainings", "training_id", trained),
                "staff_id": who["staff_id"].to_numpy(object),
                "course": rotation_courses(who["role"].to_numpy(str)).astype(object),
                "training_date": today.dates_back(trained, 2),
                "updated_at": today.stamps(trained),
            }
        )
        today.record("rotation_trainings", added=trainings)


# --- institutions, beds and ratings ----------------------------------------------------------


def _institutions(today: _Day) -> None:
    rng, day = today.rng, today.day
    homes = read_rows(today.conn, "SELECT * FROM institutions ORDER BY institution_id")
    operating = homes["closed_date"].isna().to_numpy(bool) & (
        homes["opened_date"].to_numpy(str) < today.text
    )
    standardizing = (
        operating
        & (homes["institution_type"].to_numpy(str) == "区域性养老服务中心")
        & homes["standardized_date"].isna().to_numpy(bool)
        & (rng.random(len(homes)) < daily_chance(STANDARDIZATION_HAZARD))
    )
    changed = homes.loc[standardizing, ["institution_id"]].copy()
    changed["standardized_date"] = today.text
    changed["updated_at"] = today.stamps(len(changed))
    today.record("institutions", changed=changed, key="institution_id")

    # Bed changes: more (nursing) beds at a home still open.
    beds = read_rows(
        today.conn,
        "SELECT institution_id, total_beds, nursing_beds FROM bed_capacity_changes "
        "ORDER BY effective_date, change_id",
    ).drop_duplicates("institution_id", keep="last")
    open_ids = set(homes.loc[operating, "institution_id"])
    beds = beds[beds["institution_id"].isin(open_ids) & (beds["total_beds"] > 0)]
    n = min(daily_count(rng, today.pace("bed_capacity_changes")), len(beds))
    if n:
        moved = beds.iloc[np.sort(rng.choice(len(beds), n, replace=False))].copy()
        nursing = moved["nursing_beds"].to_numpy(np.int64) + rng.integers(1, 11, n)
        moved["total_beds"] = np.maximum(moved["total_beds"].to_numpy(np.int64), nursing)
        moved["nursing_beds"] = nursing
        moved.insert(0, "change_id", today.next_integers("bed_capacity_changes", "change_id", n))
        moved.insert(2, "effective_date", today.dates_back(n, 4))
        moved["updated_at"] = today.stamps(n)
        today.record("bed_capacity_changes", added=moved)

    # Ratings expiring soon are renewed (rated a week before they are entered).
    ratings = read_rows(
        today.conn,
        "SELECT institution_id, valid_until FROM institution_ratings "
        "ORDER BY rated_date, rating_id",
    ).drop_duplicates("institution_id", keep="last")
    horizon = (day + timedelta(days=RENEWAL_WINDOW_DAYS)).isoformat()
    due = ratings[
        (ratings["valid_until"] >= today.text)
        & (ratings["valid_until"] < horizon)
        & ratings["institution_id"].isin(open_ids)
    ]
    renewing = due[rng.random(len(due)) < RENEWAL_CHANCE]
    if len(renewing):
        who = homes.set_index("institution_id").loc[renewing["institution_id"]]
        grade2 = pd.Series(who["county_code"]).map(
            {c: p.grade2_rate for c, p in EC_PROFILES.items()}
        )
        rated = day - timedelta(days=7)
        renewed = pd.DataFrame(
            {
                "rating_id": today.next_integers("institution_ratings", "rating_id", len(who)),
                "institution_id": who.index.to_numpy(object),
                "grade": rating_grades(
                    rng, who["institution_type"].to_numpy(str), grade2.to_numpy(float)
                ),
                "rated_date": rated.isoformat(),
                "valid_until": (rated + timedelta(days=RATING_DAYS)).isoformat(),
                "updated_at": today.stamps(len(who)),
            }
        )
        today.record("institution_ratings", added=renewed)


# --- community facilities and service organizations -------------------------------------------


def _facilities(today: _Day) -> None:
    """Points are upgraded at the pace of the last year; meal points open in villages without."""
    rng = today.rng
    facilities = read_rows(
        today.conn,
        "SELECT facility_id, facility_type, county_code, village_code, status FROM "
        "community_facilities WHERE opened_date < ? ORDER BY facility_id",
        [today.text],
    )
    upgraded_lately = {
        v
        for (v,) in today.conn.execute(
            "SELECT facility_id FROM facility_events WHERE event_type = '升级改造' "
            "AND event_date >= ?",
            [today.year_ago],
        )
    }
    pace = len(upgraded_lately)
    candidates = facilities[
        facilities["facility_type"].isin(list(UPGRADE_LEVELS))
        & (facilities["status"] == "运营")
        & ~facilities["facility_id"].isin(upgraded_lately)
    ]
    n = min(daily_count(rng, pace), len(candidates))
    chosen = candidates.iloc[np.sort(rng.choice(len(candidates), n, replace=False))]
    events = pd.DataFrame(
        {
            "facility_id": chosen["facility_id"].to_numpy(object),
            "event_type": "升级改造",
            "event_date": today.dates_back(n, 4),
            "upgrade_level": chosen["facility_type"].map(UPGRADE_LEVELS).to_numpy(object),
        }
    )

    meal_villages = set(
        facilities.loc[facilities["facility_type"] == MEAL_POINT, "village_code"].dropna()
    )
    villages = real_villages()
    without = villages[~villages["code"].isin(meal_villages)]
    k = min(daily_count(rng, len(meal_villages) * MEAL_POINTS_NEW_SHARE), len(without))
    place = without.iloc[np.sort(rng.choice(len(without), k, replace=False))]
    ids = today.next_keys("community_facilities", "facility_id", "SQ", k)
    opened = pd.DataFrame(
        {
            "facility_id": ids,
            "facility_name": (place["name"] + MEAL_POINT).to_numpy(object),
            "facility_type": MEAL_POINT,
            "county_code": place["county_code"].to_numpy(object),
            "town_code": place["parent_code"].to_numpy(object),
            "village_code": place["code"].to_numpy(object),
            "opened_date": today.text,
            "status": "运营",
            "updated_at": today.stamps(k),
        }
    )
    today.record("community_facilities", added=opened)
    events = pd.concat(
        [
            events,
            pd.DataFrame(
                {
                    "facility_id": ids,
                    "event_type": "开业",
                    "event_date": today.text,
                    "upgrade_level": None,
                }
            ),
        ],
        ignore_index=True,
    )
    events.insert(0, "event_id", today.next_integers("facility_events", "event_id", len(events)))
    events["updated_at"] = today.stamps(len(events))
    today.record("facility_events", added=events)
    touched = chosen[["facility_id"]].copy()
    touched["updated_at"] = events["updated_at"].to_numpy()[: len(touched)]
    today.record("community_facilities", changed=touched, key="facility_id")


def _service_organizations(today: _Day) -> None:
    """Organizations recognized as brand or chain operators, at the districts' yearly plans."""
    rng = today.rng
    n = daily_count(rng, sum(p.brand_orgs_2024 for p in EC_PROFILES.values()))
    if n == 0:
        return
    orgs = read_rows(
        today.conn,
        "SELECT org_id FROM service_organizations WHERE recognition_type IS NULL ORDER BY org_id",
    )
    chosen = orgs.iloc[np.sort(rng.choice(len(orgs), min(n, len(orgs)), replace=False))].copy()
    chosen["recognition_type"] = pick(rng, RECOGNITION_TYPES, len(chosen))
    chosen["recognized_date"] = today.text
    chosen["updated_at"] = today.stamps(len(chosen))
    today.record("service_organizations", changed=chosen, key="org_id")

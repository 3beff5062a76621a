"""The smart-assistance platform one day on, in its own store.

New applications, certificates, alerts, services, children, workers and trainings are written with
``created_at`` on the day; decisions and terminations of cases, closed alerts, cancelled services,
ended eligibility, departed workers, resubmitted surveys and caseworkers' corrections rewrite the
record with ``updated_at`` on the day, which is how the API's ``updated_since`` extract sees them.
Monthly payments go out on their pay days, one row per person, subsidy and month.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sources.civil_registry.advance import column_values
from sources.common.advancing import (
    ChangeLog,
    StoreDay,
    count_between,
    daily_chance,
    daily_count,
    day_rng,
    insert_rows,
    month_end,
    read_rows,
    update_rows,
    years_before,
)
from sources.common.identity import clashing_ids, distinct_id_numbers
from sources.common.names import random_mobiles, random_names
from sources.common.profiles import by_county
from sources.common.regions import COUNTIES, real_villages, villages_in
from sources.common.simtools import d64, date_text, iso_local, pick
from sources.smart_assistance import children as child_lines
from sources.smart_assistance.monitoring import (
    ALERT_DECISION_SHARES,
    ALERTS_PER_YEAR,
    SERVICES_PER_YEAR,
    monitoring_alerts,
    project_services,
)
from sources.smart_assistance.params import (
    ALERT_DECISIONS,
    CARE,
    CARE_SUBSIDY,
    CHILD_ALLOWANCE,
    LIVING,
    LIVING_SUBSIDY,
    SA_PROFILES,
    sa_by_county,
)
from sources.smart_assistance.payments import (
    ELIGIBLE_HOUSEHOLDS,
    PERSONS_PER_YEAR,
    disabled_persons,
)
from sources.smart_assistance.simulator import (
    ALERT_COLUMNS,
    CASE_COLUMNS,
    CASE_TYPES,
    CHILD_COLUMNS,
    PAYMENT_COLUMNS,
    PERSON_COLUMNS,
    SERVICE_COLUMNS,
    STORE_NAME,
    SURVEY_COLUMNS,
    TRAINING_COLUMNS,
    WORKER_COLUMNS,
    cases_of_type,
    survey_children_counts,
)

SYSTEM = 1  # the system's random stream (the full simulation's order)
# Days of the month each monthly subsidy is paid on (the full simulation's windows).
PAY_DAYS: dict[str, tuple[int, int]] = {
    "低保金": (4, 14),
    "特困供养金": (4, 14),
    LIVING: (9, 19),
    CARE: (9, 19),
    CHILD_ALLOWANCE: (5, 14),
}
# A decision comes at the earliest this many days after the application, then at this daily
# chance (about the full simulation's decision lags: 3-19 days for 临时救助, 7-39 otherwise).
DECISION_AFTER = {"低保": 7, "特困": 7, "临时救助": 3}
DECISION_CHANCE = {"低保": 0.06, "特困": 0.06, "临时救助": 0.12}
# Caseworkers correct a case (address, phone) for about 3% of a year's applications.
CASE_CORRECTIONS_SHARE = 0.03
# A person's details (residence) are corrected about once a century: 1% a year.
PERSON_CORRECTION_RATE = 0.01
# Yearly death hazards of two-subsidy recipients, 70 and over or younger.
DEATH_HAZARD_OLD, DEATH_HAZARD_YOUNG = 0.09, 0.03
# Deaths reach the platform from the data exchange: how far back its death check looks.
DEATH_CHECK_DAYS = 150
# Children newly eligible a year: the full simulation's 15% of the stock over its two years.
CHILDREN_NEW_SHARE_PER_YEAR = 0.15 / 2
CHILD_LEAVE_HAZARD = 0.06
WORKER_LEAVE_HAZARD = 0.08
# A vacant post is filled at this daily chance once it has been vacant for ten days.
SUCCESSOR_AFTER_DAYS, SUCCESSOR_CHANCE = 10, 1 / 35
# Services cancelled within nine days of delivery: 5% of them.
CANCEL_WITHIN_DAYS, CANCEL_SHARE = 9, 0.05
# Survey submissions between the 4th and the 26th; 5% resubmitted within ten days.
SURVEY_DAYS = (4, 26)
RESUBMIT_WITHIN_DAYS, RESUBMIT_SHARE = 10, 0.05


@dataclass
class _Day(StoreDay):
    def stamp_text(self, times: np.ndarray) -> np.ndarray:
        return iso_local(times)  # ISO 8601 with the +08:00 offset

    def taken_id_numbers(self) -> set[str]:
        """Every ID number the platform holds, so new people never clash with known ones."""
        taken: set[str] = set()
        for table, column in (
            ("assistance_cases", "applicant_id_number"),
            ("persons", "id_number"),
            ("children_in_difficulty", "id_number"),
            ("monitoring_alerts", "person_id_number"),
            ("project_services", "beneficiary_id_number"),
        ):
            taken.update(v for (v,) in self.conn.execute(f'SELECT "{column}" FROM "{table}"'))
        return taken


def advance_day(out_dir: Path, day: date, *, seed: int, scale: float, shared: dict) -> ChangeLog:
    """Write one day of the platform's life into ``out_dir/store.sqlite``.

    Puts the two-subsidy recipients who died (registered at the exchange on the day) into
    ``shared["recipient_deaths"]`` for the civil registry.
    """
    conn = sqlite3.connect(out_dir / STORE_NAME)
    try:
        with conn:
            today = _Day(conn, day_rng(seed, SYSTEM, day), day, scale)
            taken = today.taken_id_numbers()
            approved_temp = _cases(today, taken)
            _persons(today, taken)
            _children(today, taken)
            known_dead = _known_deaths(out_dir.parent, day)
            deaths = _recipient_deaths(today, known_dead)
            shared["recipient_deaths"] = deaths
            _payments(today, approved_temp, known_dead | set(deaths["deceased_id_number"]))
            _alerts(today, taken)
            _services(today, taken)
            _stations(today)
            _workers_and_trainings(today)
            _surveys(today)
    finally:
        conn.close()
    return today.log


# --- cases -------------------------------------------------------------------------------------


def _cases(today: _Day, taken: set[str]) -> pd.DataFrame:
    """Decide, terminate and correct open cases, take in new applications; returns the 临时救助
    cases approved today (paid at once)."""
    rng, day = today.rng, today.day
    open_cases = read_rows(
        today.conn,
        "SELECT * FROM assistance_cases WHERE case_status IN ('审核中', '已批准') ORDER BY case_id",
    )
    kind = open_cases["case_type"].to_numpy(str)
    status = open_cases["case_status"].to_numpy(str)
    applied = open_cases["applied_date"].to_numpy("datetime64[D]")
    approved_on = pd.to_datetime(open_cases["approved_date"]).to_numpy("datetime64[D]")
    n = len(open_cases)

    after = np.array([DECISION_AFTER[k] for k in kind], dtype=np.int64)
    due = (status == "审核中") & (applied <= d64(day) - after)
    decided = due & (rng.random(n) < np.array([DECISION_CHANCE[k] for k in kind]))
    rejected = decided & (rng.random(n) < np.array([CASE_TYPES[k][2] for k in kind]))
    approved = decided & ~rejected
    hazard = np.array([daily_chance(CASE_TYPES[k][3]) for k in kind])
    terminated = (
        (status == "已批准") & np.isin(kind, ("低保", "特困")) & (approved_on < d64(day))
    ) & (rng.random(n) < hazard)
    per_year = sum(per_year for _, per_year, _, _ in CASE_TYPES.values()) * today.scale
    corrected = np.zeros(n, dtype=bool)
    candidates = np.flatnonzero(~decided & ~terminated & (applied < d64(day)))
    k = min(daily_count(rng, per_year * CASE_CORRECTIONS_SHARE), len(candidates))
    corrected[rng.choice(candidates, k, replace=False)] = True

    changed = open_cases[decided | terminated | corrected].copy()
    pos = np.flatnonzero(decided | terminated | corrected)
    changed.loc[rejected[pos], "case_status"] = "不予批准"
    changed.loc[approved[pos], "case_status"] = "已批准"
    changed.loc[approved[pos], "approved_date"] = today.text
    changed.loc[terminated[pos], "case_status"] = "已终止"
    changed.loc[terminated[pos], "terminated_date"] = today.text
    changed.loc[corrected[pos], "applicant_phone"] = random_mobiles(rng, int(corrected.sum()))
    changed["updated_at"] = today.stamps(len(changed))
    updated = update_rows(today.conn, "assistance_cases", "case_id", changed)
    today.log.record("assistance_cases", changed=updated)

    parts = [
        cases_of_type(
            rng,
            case_type,
            today.scale,
            day,
            day,
            counts=(0, daily_count(rng, per_year_new * today.scale)),
        )
        for case_type, (_, per_year_new, _, _) in CASE_TYPES.items()
    ]
    new = pd.concat(parts, ignore_index=True).sort_values("_created", kind="stable")
    new = new.reset_index(drop=True)
    new["applicant_id_number"] = distinct_id_numbers(
        rng, new["applicant_id_number"].to_numpy(str), taken
    ).astype(object)
    taken.update(new["applicant_id_number"])
    new.insert(0, "case_id", today.next_keys("assistance_cases", "case_id", "SA", len(new)))
    new["household_id"] = _new_households(today, len(new))
    new["created_at"] = iso_local(new["_created"].to_numpy())
    new["updated_at"] = iso_local(new["_updated"].to_numpy())
    today.log.record(
        "assistance_cases", added=insert_rows(today.conn, "assistance_cases", new[CASE_COLUMNS])
    )
    return changed[approved[pos] & (changed["case_type"] == "临时救助").to_numpy()]


def _new_households(today: _Day, n: int) -> np.ndarray:
    """Household numbers drawn as the full simulation draws them, none already in use."""
    known = {v for (v,) in today.conn.execute("SELECT household_id FROM assistance_cases")}
    numbers = today.rng.choice(9_000_000_000, size=n, replace=False) + 1_000_000_000
    ids = np.char.add("HH", numbers.astype(str))
    while (clash := clashing_ids(ids, known)).any():
        redrawn = today.rng.integers(0, 9_000_000_000, int(clash.sum())) + 1_000_000_000
        ids[clash] = np.char.add("HH", redrawn.astype(str))
    return ids.astype(object)


# --- persons with a disability and their deaths ------------------------------------------------


def _persons(today: _Day, taken: set[str]) -> None:
    rng = today.rng
    persons = read_rows(
        today.conn,
        "SELECT person_id, registered_county_code, residence_village_code FROM persons "
        "WHERE created_at < ? ORDER BY person_id",
        [today.text],
    )
    k = min(daily_count(rng, len(persons) * PERSON_CORRECTION_RATE), len(persons))
    moved = persons.iloc[np.sort(rng.choice(len(persons), k, replace=False))].copy()
    moved["residence_village_code"] = villages_in(
        rng, moved["registered_county_code"].to_numpy(str)
    )
    moved["updated_at"] = today.stamps(len(moved))
    today.log.record(
        "persons",
        changed=update_rows(
            today.conn, "persons", "person_id", moved.drop(columns="registered_county_code")
        ),
    )

    n = daily_count(rng, PERSONS_PER_YEAR * today.scale)
    new = disabled_persons(rng, today.scale, today.day, today.day, taken, counts=(0, n))
    taken.update(new["id_number"])
    new.insert(0, "person_id", today.next_keys("persons", "person_id", "CJ", len(new)))
    new["created_at"] = new["updated_at"] = today.stamps(len(new))
    today.log.record("persons", added=insert_rows(today.conn, "persons", new[PERSON_COLUMNS]))


def _known_deaths(sources_dir: Path, day: date) -> set[str]:
    """ID numbers of deaths registered at the exchange in the last months (the platform's death
    check stops subsidies once a death is known)."""
    inbox = sources_dir / "civil_registry" / "inbox" / "deaths"
    known: set[str] = set()
    for back in range(1, DEATH_CHECK_DAYS + 1):
        path = inbox / f"deaths_{day - timedelta(days=back):%Y%m%d}.csv"
        if path.exists():
            known.update(column_values(path, "deceased_id_number"))
    return known


def _two_subsidy_roll(today: _Day, subsidy: str, known_dead: set[str]) -> pd.DataFrame:
    """Last month's recipients of a two-subsidy still alive, plus the eligible newly certified."""
    this_month = today.day.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    paid = read_rows(
        today.conn,
        "SELECT recipient_id_number, recipient_name, amount, paying_county_code "
        "FROM subsidy_payments WHERE updated_at >= ? AND payment_month = ? AND subsidy_type = ? "
        "ORDER BY payment_id",
        [last_month.isoformat(), last_month.isoformat()[:7], subsidy],
    ).drop_duplicates("recipient_id_number")
    certified = read_rows(
        today.conn,
        "SELECT id_number, person_name, registered_county_code, household_category, "
        "disability_grade FROM persons WHERE disability_cert_date >= ? ORDER BY person_id",
        [last_month.isoformat()],
    )
    if subsidy == LIVING:
        eligible = certified["household_category"].isin(ELIGIBLE_HOUSEHOLDS)
        amounts = LIVING_SUBSIDY
    else:
        eligible = certified["disability_grade"].isin(("一级", "二级"))
        amounts = CARE_SUBSIDY
    certified = certified[eligible.to_numpy(bool)]
    joining = pd.DataFrame(
        {
            "recipient_id_number": certified["id_number"],
            "recipient_name": certified["person_name"],
            "amount": certified["disability_grade"].map(amounts).map("{:.2f}".format),
            "paying_county_code": certified["registered_county_code"],
        }
    )
    roll = pd.concat([paid, joining], ignore_index=True).drop_duplicates("recipient_id_number")
    return roll[~roll["recipient_id_number"].isin(known_dead)].reset_index(drop=True)


def _recipient_deaths(today: _Day, known_dead: set[str]) -> pd.DataFrame:
    """Two-subsidy recipients who died in the last days, their death registered today."""
    rng, day = today.rng, today.day
    roll = pd.concat(
        [_two_subsidy_roll(today, subsidy, known_dead) for subsidy in (LIVING, CARE)]
    ).drop_duplicates("recipient_id_number")
    people = read_rows(
        today.conn,
        "SELECT id_number, person_name, sex, birth_date, registered_county_code FROM persons "
        "ORDER BY person_id",
    )
    people = people[people["id_number"].isin(roll["recipient_id_number"])].reset_index(drop=True)
    old = people["birth_date"].to_numpy(str) <= years_before(day, 70).isoformat()
    chance = np.where(old, daily_chance(DEATH_HAZARD_OLD), daily_chance(DEATH_HAZARD_YOUNG))
    dead = people[rng.random(len(people)) < chance].reset_index(drop=True)
    died = d64(day) - rng.integers(1, 7, len(dead)) * np.timedelta64(1, "D")
    return pd.DataFrame(
        {
            "deceased_id_number": dead["id_number"].to_numpy(object),
            "deceased_name": dead["person_name"].to_numpy(object),
            "sex": dead["sex"].to_numpy(object),
            "birth_date": dead["birth_date"].to_numpy(object),
            "death_date": date_text(died),
            "registration_county_code": dead["registered_county_code"].to_numpy(object),
        }
    )


# --- payments ----------------------------------------------------------------------------------


def _payments(today: _Day, approved_temp: pd.DataFrame, known_dead: set[str]) -> None:
    """临时救助金 for today's approvals; the month's payments of each subsidy whose pay days have
    come, each recipient not yet paid this month paid today at an even chance over the days left.
    """
    rng, day = today.rng, today.day
    month = day.isoformat()[:7]
    parts = [
        pd.DataFrame(
            {
                "recipient_id_number": approved_temp["applicant_id_number"],
                "recipient_name": approved_temp["applicant_name"],
                "subsidy_type": "临时救助金",
                "case_id": approved_temp["case_id"],
                "temp_assistance_kind": approved_temp["temp_assistance_kind"],
                "amount": approved_temp["one_off_amount"],
                "paying_county_code": approved_temp["handling_county_code"],
            }
        )
    ]
    for subsidy, (first, last) in PAY_DAYS.items():
        if not first <= day.day <= last:
            continue
        if subsidy in (LIVING, CARE):
            roll = _two_subsidy_roll(today, subsidy, known_dead).assign(case_id=None)
        elif subsidy == CHILD_ALLOWANCE:
            roll = _child_roll(today)
        else:
            roll = _case_roll(today, "低保" if subsidy == "低保金" else "特困")
        paid = read_rows(
            today.conn,
            "SELECT recipient_id_number, case_id FROM subsidy_payments "
            "WHERE updated_at >= ? AND payment_month = ? AND subsidy_type = ?",
            [day.replace(day=1).isoformat(), month, subsidy],
        )
        done = set(zip(paid["recipient_id_number"], paid["case_id"].fillna(""), strict=True))
        owed = np.array(
            [
                (who, case or "") not in done
                for who, case in zip(roll["recipient_id_number"], roll["case_id"], strict=True)
            ],
            dtype=bool,
        )
        chance = 1.0 / (last - day.day + 1)
        due = roll[owed & (rng.random(len(roll)) < chance)]
        parts.append(due.assign(subsidy_type=subsidy, temp_assistance_kind=None))
    pay = pd.concat(parts, ignore_index=True)
    pay["amount"] = pay["amount"].astype(float).map("{:.2f}".format)
    pay["payment_month"] = month
    pay["paid_date"] = today.text
    pay["created_at"] = pay["updated_at"] = today.stamps(len(pay))
    pay.insert(0, "payment_id", today.next_keys("subsidy_payments", "payment_id", "PM", len(pay)))
    today.log.record(
        "subsidy_payments",
        added=insert_rows(today.conn, "subsidy_payments", pay[PAYMENT_COLUMNS]),
    )


def _case_roll(today: _Day, case_type: str) -> pd.DataFrame:
    """Cases of a monthly type in force this month (approved by now, not terminated before it)."""
    month_start = today.day.replace(day=1).isoformat()
    cases = read_rows(
        today.conn,
        "SELECT applicant_id_number, applicant_name, case_id, monthly_amount, "
        "handling_county_code FROM assistance_cases WHERE case_type = ? AND approved_date <= ? "
        "AND (case_status = '已批准' OR (case_status = '已终止' AND terminated_date >= ?)) "
        "ORDER BY case_id",
        [case_type, today.text, month_start],
    )
    return pd.DataFrame(
        {
            "recipient_id_number": cases["applicant_id_number"],
            "recipient_name": cases["applicant_name"],
            "case_id": cases["case_id"],
            "amount": cases["monthly_amount"],
            "paying_county_code": cases["handling_county_code"],
        }
    )


def _child_roll(today: _Day) -> pd.DataFrame:
    kids = read_rows(
        today.conn,
        "SELECT id_number, child_name, monthly_standard, county_code FROM children_in_difficulty "
        "WHERE eligible_from <= ? AND (eligible_to IS NULL OR eligible_to >= ?) ORDER BY child_id",
        [month_end(today.day).isoformat(), today.day.replace(day=1).isoformat()],
    )
    return pd.DataFrame(
        {
            "recipient_id_number": kids["id_number"],
            "recipient_name": kids["child_name"],
            "case_id": None,
            "amount": kids["monthly_standard"],
            "paying_county_code": kids["county_code"],
        }
    )


# --- monitoring alerts and project services ---------------------------------------------------


def _alerts(today: _Day, taken: set[str]) -> None:
    """Open alerts move on (taken up, closed with a decision); new alerts are raised."""
    rng, day = today.rng, today.day
    open_alerts = read_rows(
        today.conn,
        "SELECT * FROM monitoring_alerts WHERE alert_status != '已办结' AND raised_at < ? "
        "ORDER BY alert_id",
        [today.text],
    )
    n = len(open_alerts)
    raised = open_alerts["raised_at"].str[:10].to_numpy("datetime64[D]")
    age = (d64(day) - raised).astype(np.int64)
    timely = sa_by_county(open_alerts["county_code"].to_numpy(str), "sa04_timely")
    # Closed within 30 days at the county's rate, the rest over the following months.
    chance = np.where(age <= 30, 1 - (1 - timely) ** (1 / 30), 1 / 45)
    closing = rng.random(n) < chance
    taking_up = ~closing & (open_alerts["alert_status"].to_numpy(str) == "待处置")
    taking_up &= rng.random(n) < 0.5
    changed = open_alerts[closing | taking_up].copy()
    pos = closing[closing | taking_up]
    stamps = today.stamps(len(changed))
    decision = pick(rng, ALERT_DECISIONS, len(changed), ALERT_DECISION_SHARES)
    decision[rng.random(len(changed)) < 0.01] = None
    changed["alert_status"] = np.where(pos, "已办结", "处置中")
    changed["closed_at"] = [s if closes else None for s, closes in zip(stamps, pos, strict=True)]
    changed["decision"] = [d if closes else None for d, closes in zip(decision, pos, strict=True)]
    changed["updated_at"] = stamps
    today.log.record(
        "monitoring_alerts",
        changed=update_rows(today.conn, "monitoring_alerts", "alert_id", changed),
    )

    count = daily_count(rng, ALERTS_PER_YEAR * today.scale)
    alerts = monitoring_alerts(rng, today.scale, day, day, count=count)
    alerts["person_id_number"] = distinct_id_numbers(
        rng, alerts["person_id_number"].to_numpy(str), taken
    ).astype(object)
    taken.update(alerts["person_id_number"])
    alerts["raised_at"] = iso_local(alerts["_raised"].to_numpy())
    closed = alerts["_closed"].to_numpy("datetime64[s]")
    alerts["closed_at"] = np.where(
        np.isnat(closed), np.full(len(closed), None, dtype=object), iso_local(closed)
    )
    alerts["created_at"] = alerts["raised_at"]
    alerts["updated_at"] = iso_local(alerts["_touched"].to_numpy())
    alerts = alerts.sort_values(["created_at", "updated_at"], kind="stable").reset_index(drop=True)
    alerts.insert(0, "alert_id", today.next_keys("monitoring_alerts", "alert_id", "YJ", count))
    today.log.record(
        "monitoring_alerts",
        added=insert_rows(today.conn, "monitoring_alerts", alerts[ALERT_COLUMNS]),
    )


def _services(today: _Day, taken: set[str]) -> None:
    rng, day = today.rng, today.day
    recent = read_rows(
        today.conn,
        "SELECT service_id, service_date FROM project_services WHERE updated_at >= ? "
        "AND service_status = '已完成' AND service_date >= ? AND service_date < ? "
        "ORDER BY service_id",
        [(day - timedelta(days=CANCEL_WITHIN_DAYS)).isoformat()] * 2 + [today.text],
    )
    cancelled = recent[rng.random(len(recent)) < CANCEL_SHARE / CANCEL_WITHIN_DAYS].copy()
    cancelled["service_status"] = "已取消"
    cancelled["updated_at"] = today.stamps(len(cancelled))
    today.log.record(
        "project_services",
        changed=update_rows(
            today.conn, "project_services", "service_id", cancelled.drop(columns="service_date")
        ),
    )

    sizes = {p: daily_count(rng, v * today.scale) for p, v in SERVICES_PER_YEAR.items()}
    services = project_services(rng, today.scale, day, day, sizes=sizes)
    services["beneficiary_id_number"] = distinct_id_numbers(
        rng, services["beneficiary_id_number"].to_numpy(str), taken
    ).astype(object)
    taken.update(services["beneficiary_id_number"])
    services["service_status"] = "已完成"
    services["created_at"] = services["updated_at"] = today.stamps(len(services))
    services.insert(
        0, "service_id", today.next_keys("project_services", "service_id", "FW", len(services))
    )
    today.log.record(
        "project_services",
        added=insert_rows(today.conn, "project_services", services[SERVICE_COLUMNS]),
    )


# --- children, stations, workers, surveys -----------------------------------------------------


def _children(today: _Day, taken: set[str]) -> None:
    """Eligibility ends on the eve of the 18th birthday or on leaving care; a few children become
    eligible."""
    rng, day = today.rng, today.day
    kids = read_rows(
        today.conn,
        "SELECT child_id, birth_date FROM children_in_difficulty "
        "WHERE eligible_to IS NULL AND eligible_from < ? ORDER BY child_id",
        [today.text],
    )
    # Today is the eve of the 18th birthday of those born 18 years before tomorrow.
    turning_18 = years_before(day + timedelta(days=1), 18).isoformat()
    ending = (kids["birth_date"] == turning_18).to_numpy(bool) | (
        rng.random(len(kids)) < daily_chance(CHILD_LEAVE_HAZARD)
    )
    ended = kids[ending].drop(columns="birth_date")
    ended["eligible_to"] = today.text
    ended["updated_at"] = today.stamps(len(ended))
    today.log.record(
        "children_in_difficulty",
        changed=update_rows(today.conn, "children_in_difficulty", "child_id", ended),
    )

    counts = {
        category: (0, daily_count(rng, stock * CHILDREN_NEW_SHARE_PER_YEAR * today.scale))
        for category, stock in child_lines.CHILDREN_STOCK.items()
    }
    new = child_lines.children_in_difficulty(rng, today.scale, day, day, taken, counts=counts)
    taken.update(new["id_number"])
    new["monthly_standard"] = new["monthly_standard"].map("{:.2f}".format)
    new["created_at"] = new["updated_at"] = today.stamps(len(new))
    new.insert(0, "child_id", today.next_keys("children_in_difficulty", "child_id", "ET", len(new)))
    today.log.record(
        "children_in_difficulty",
        added=insert_rows(today.conn, "children_in_difficulty", new[CHILD_COLUMNS]),
    )


def _stations(today: _Day) -> None:
    """Stations upgraded to provincial demonstration level at each county's current yearly plan."""
    rng = today.rng
    plan = np.array([SA_PROFILES[c].ch01_upgrades_plan_year for c in COUNTIES], dtype=float)
    n = daily_count(rng, plan.sum())
    if n == 0:
        return
    stations = read_rows(
        today.conn,
        "SELECT station_id, county_code FROM protection_stations "
        "WHERE station_level != '省级示范站' ORDER BY station_id",
    )
    chosen: list[str] = []
    for county in pick(rng, COUNTIES, n, plan):
        pool = stations.loc[
            (stations["county_code"] == county) & ~stations["station_id"].isin(chosen),
            "station_id",
        ].to_numpy()
        if len(pool):
            chosen.append(str(pool[rng.integers(0, len(pool))]))
    upgraded = pd.DataFrame(
        {
            "station_id": chosen,
            "station_level": "省级示范站",
            "provincial_demo_date": today.text,
            "updated_at": today.stamps(len(chosen)),
        }
    )
    today.log.record(
        "protection_stations",
        changed=update_rows(today.conn, "protection_stations", "station_id", upgraded),
    )


def _workers_and_trainings(today: _Day) -> None:
    """Workers leave, vacant posts are filled, workers in post attend trainings."""
    rng, day = today.rng, today.day
    workers = read_rows(today.conn, "SELECT * FROM child_workers ORDER BY worker_id")
    in_post = workers["left_date"].isna().to_numpy(bool) & (
        workers["appointed_date"].to_numpy(str) < today.text
    )
    leaving = in_post & (rng.random(len(workers)) < daily_chance(WORKER_LEAVE_HAZARD))
    left = workers.loc[leaving, ["worker_id"]].copy()
    left["left_date"] = today.text
    left["updated_at"] = today.stamps(len(left))
    today.log.record(
        "child_workers", changed=update_rows(today.conn, "child_workers", "worker_id", left)
    )

    latest = workers.sort_values(["unit_code", "appointed_date", "worker_id"]).drop_duplicates(
        "unit_code", keep="last"
    )
    cutoff = (day - timedelta(days=SUCCESSOR_AFTER_DAYS)).isoformat()
    vacant = latest[latest["left_date"].notna() & (latest["left_date"] <= cutoff)]
    filled = vacant[rng.random(len(vacant)) < SUCCESSOR_CHANCE]
    male = rng.random(len(filled)) < 0.35
    successors = pd.DataFrame(
        {
            "worker_name": random_names(rng, male).astype(object),
            "worker_phone": random_mobiles(rng, len(filled)).astype(object),
            "worker_role": filled["worker_role"].to_numpy(object),
            "county_code": filled["county_code"].to_numpy(object),
            "unit_code": filled["unit_code"].to_numpy(object),
            "appointed_date": today.text,
            "left_date": None,
        }
    )
    successors["created_at"] = successors["updated_at"] = today.stamps(len(successors))
    successors.insert(
        0, "worker_id", today.next_keys("child_workers", "worker_id", "ER", len(successors))
    )
    today.log.record(
        "child_workers",
        added=insert_rows(today.conn, "child_workers", successors[WORKER_COLUMNS]),
    )

    year_ago = (day - timedelta(days=365)).isoformat()
    per_year = count_between(today.conn, "worker_trainings", "updated_at", year_ago, today.text)
    n = daily_count(rng, per_year)
    staff = workers.loc[in_post & ~leaving, "worker_id"].to_numpy(object)
    if n == 0 or len(staff) == 0:
        return
    trainings = pd.DataFrame(
        {
            "worker_id": staff[rng.integers(0, len(staff), n)],
            "training_name": pick(rng, child_lines.TRAINING_NAMES, n),
            "training_level": pick(
                rng, child_lines.TRAINING_LEVELS, n, child_lines.TRAINING_LEVEL_SHARES
            ),
            "training_date": today.text,
            "training_hours": child_lines.training_hours(rng, n).astype(object),
        }
    )
    trainings["created_at"] = trainings["updated_at"] = today.stamps(n)
    trainings.insert(0, "training_id", today.next_keys("worker_trainings", "training_id", "PX", n))
    today.log.record(
        "worker_trainings",
        added=insert_rows(today.conn, "worker_trainings", trainings[TRAINING_COLUMNS]),
    )


def _surveys(today: _Day) -> None:
    """Villages submit the month's survey between the 4th and the 26th at their county's rate;
    a few resubmit corrected figures within ten days."""
    rng, day = today.rng, today.day
    since = (day - timedelta(days=RESUBMIT_WITHIN_DAYS)).isoformat()
    recent = read_rows(
        today.conn,
        "SELECT submission_id, village_code, left_behind_children, migrant_children "
        "FROM child_survey_submissions WHERE updated_at >= ? AND submitted_at >= ? "
        "AND updated_at = submitted_at AND submitted_at < ? ORDER BY submission_id",
        [since, since, today.text],
    )
    again = recent[rng.random(len(recent)) < RESUBMIT_SHARE / RESUBMIT_WITHIN_DAYS].copy()
    rural = _rural(again["village_code"].to_numpy(str))
    again["left_behind_children"], again["migrant_children"] = _children_counts(rng, rural)
    again["updated_at"] = today.stamps(len(again))
    today.log.record(
        "child_survey_submissions",
        changed=update_rows(
            today.conn,
            "child_survey_submissions",
            "submission_id",
            again.drop(columns="village_code"),
        ),
    )

    first, last = SURVEY_DAYS
    if not first <= day.day <= last:
        return
    villages = real_villages()
    month = today.text[:7]
    submitted = {
        v
        for (v,) in today.conn.execute(
            "SELECT village_code FROM child_survey_submissions WHERE survey_month = ?", [month]
        )
    }
    codes = villages["code"].to_numpy(str)
    rate = by_county(villages["county_code"].to_numpy(), "ch04_submit_rate").astype(float)
    # An even share of the month's submissions each day: the chance given none so far.
    span = last - first + 1
    chance = rate / (span - rate * (day.day - first))
    due = ~np.isin(codes, list(submitted)) & (rng.random(len(codes)) < chance)
    codes = codes[due]
    names = dict(
        today.conn.execute(
            "SELECT village_code, submitted_by_name FROM child_survey_submissions "
            "ORDER BY submitted_at, submission_id"
        ).fetchall()
    )
    fresh = random_names(rng, rng.random(len(codes)) < 0.3)
    left_behind, migrant = _children_counts(rng, _rural(codes))
    new = pd.DataFrame(
        {
            "village_code": codes.astype(object),
            "survey_month": month,
            "left_behind_children": left_behind,
            "migrant_children": migrant,
            "submitted_by_name": [
                names.get(code, name) for code, name in zip(codes, fresh, strict=True)
            ],
        }
    )
    new["submitted_at"] = new["updated_at"] = today.stamps(len(new))
    new.insert(
        0,
        "submission_id",
        today.next_keys("child_survey_submissions", "submission_id", "CS", len(new)),
    )
    today.log.record(
        "child_survey_submissions",
        added=insert_rows(today.conn, "child_survey_submissions", new[SURVEY_COLUMNS]),
    )


def _rural(village_codes: np.ndarray) -> np.ndarray:
    villages = real_villages()
    rural = set(villages.loc[villages["unit_type"] == "村委会", "code"])
    return np.array([code in rural for code in village_codes], dtype=bool)


def _children_counts(rng: np.random.Generator, rural: np.ndarray) -> tuple[list[int], list[int]]:
    left_behind, migrant = survey_children_counts(rng, rural)
    return left_behind.astype(int).tolist(), migrant.astype(int).tolist()

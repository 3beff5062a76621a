"""Persons with a disability and the monthly payments of every subsidy the platform pays.

Payments are one row per person, subsidy and month (临时救助金: one per approved case). The dirt
SA02 must catch is part of what the platform paid, tagged in ``_dirt`` so the simulator can report
it: payments after the recipient's death, care subsidy to grade 3-4, living subsidy to a person in
no 低保/特困/低收入 household, a second payment for the same person, month and subsidy.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import clashing_ids, generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, villages_in
from sources.common.simtools import DAY, d64, date_text, pick, random_dates, scaled
from sources.smart_assistance.params import (
    CARE,
    CARE_SUBSIDY,
    CITY,
    LIVING,
    LIVING_SUBSIDY,
    sa_by_county,
)

GRADES = ("一级", "二级", "三级", "四级")
DISABILITY_TYPES = ("肢体", "视力", "听力", "言语", "智力", "精神", "多重")
HOUSEHOLD_CATEGORIES = ("低保", "特困", "低收入", "一般")
ELIGIBLE_HOUSEHOLDS = ("低保", "特困", "低收入")
# Certificate holders at scale 1: the stock at the window start and new certificates a year.
PERSONS_STOCK = int(CITY["persons_stock"])
PERSONS_PER_YEAR = int(CITY["persons_per_year"])

PAYMENT_PART_COLUMNS = [
    "recipient_id_number", "recipient_name", "subsidy_type", "case_id", "temp_assistance_kind",
    "_month", "amount", "paying_county_code", "_paid", "_dirt",
]  # fmt: skip


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each date."""
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_text(index: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` for each month index."""
    return np.datetime_as_string(np.asarray(index).astype("datetime64[M]"), unit="M").astype(object)


def month_start(index: np.ndarray) -> np.ndarray:
    return np.asarray(index).astype("datetime64[M]").astype("datetime64[D]")


def expand_months(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, month) for every month from ``first`` to ``last`` inclusive of every row."""
    counts = np.clip(last - first + 1, 0, None).astype(np.int64)
    rows = np.repeat(np.arange(len(first)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, first[rows] + offsets


def unique_id_numbers(
    rng: np.random.Generator,
    county: np.ndarray,
    birth: np.ndarray,
    male: np.ndarray,
    taken: set[str],
) -> np.ndarray:
    """GB 11643 IDs unique among themselves and not in ``taken`` (re-drawn sequence on a clash)."""
    ids = generate_id_numbers(rng, county, birth, male)
    for _ in range(50):
        clash = clashing_ids(ids, taken)
        if not clash.any():
            break
        ids[clash] = generate_id_numbers(rng, county[clash], birth[clash], male[clash])
    return ids


def disabled_persons(
    rng: np.random.Generator,
    scale: float,
    start: date,
    end: date,
    taken: set[str],
    counts: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """People holding a disability certificate, with grade, household category and death date.

    ``counts`` (certified before ``start``, certified in the window) overrides the scaled volumes.
    """
    start64, end64 = d64(start), d64(end)
    years = ((end64 - start64) / DAY + 1) / 365.0
    if counts is None:
        n_stock, n_new = scaled(PERSONS_STOCK, scale), scaled(PERSONS_PER_YEAR * years, scale)
    else:
        n_stock, n_new = counts
    n = n_stock + n_new
    weights = np.array([PROFILES[c].population_share for c in COUNTIES])
    county = pick(rng, COUNTIES, n, weights).astype(str)
    age_days = rng.integers(16 * 365, 90 * 365, n)
    birth = start64 - age_days * DAY
    certified = np.concatenate(
        [
            random_dates(rng, "2010-01-01", start64 - DAY, n_stock),
            random_dates(rng, start64, end64, n_new),
        ]
    )
    male = rng.random(n) < 0.55
    ids = unique_id_numbers(rng, county, birth, male, taken)
    # Deaths: a yearly hazard rising with age, from the window start or the certificate.
    old = age_days >= 70 * 365
    hazard = np.where(old, 0.09, 0.03)
    alive_from = np.maximum(certified, start64)
    died_on = (
        alive_from + np.minimum(rng.exponential(365.0 / hazard), 20_000).astype(np.int64) * DAY
    )
    death = np.where(died_on <= end64, died_on, np.datetime64("NaT", "D"))
    return pd.DataFrame(
        {
            "id_number": ids.astype(object),
            "person_name": random_names(rng, male).astype(object),
            "sex": np.where(male, "男", "女").astype(object),
            "birth_date": date_text(birth),
            "registered_county_code": county.astype(object),
            "residence_village_code": villages_in(rng, county),
            "household_category": pick(rng, HOUSEHOLD_CATEGORIES, n, (0.25, 0.08, 0.12, 0.55)),
            "disability_grade": pick(rng, GRADES, n, (0.25, 0.35, 0.25, 0.15)),
            "disability_type": pick(
                rng, DISABILITY_TYPES, n, (0.45, 0.12, 0.10, 0.02, 0.12, 0.12, 0.07)
            ),
            "disability_cert_date": date_text(certified),
            "_certified": certified,
            "_death": death,
        }
    )


def two_subsidy_payments(
    rng: np.random.Generator, persons: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    """Monthly 困难残疾人生活补贴 and 重度残疾人护理补贴, with SA02's dirt tagged in ``_dirt``."""
    county = persons["registered_county_code"].to_numpy(str)
    grade = persons["disability_grade"].to_numpy(str)
    category = persons["household_category"].to_numpy(str)
    n = len(persons)
    living_ok = np.isin(category, ELIGIBLE_HOUSEHOLDS)
    living_bad = ~living_ok & (rng.random(n) < sa_by_county(county, "sa02_living_no_household"))
    care_ok = np.isin(grade, ("一级", "二级"))
    care_bad = ~care_ok & (rng.random(n) < sa_by_county(county, "sa02_care_low_grade"))

    death = persons["_death"].to_numpy("datetime64[D]")
    dead = ~np.isnat(death)
    first_window, last_window = (
        month_index(np.array([d64(start)]))[0],
        month_index(np.array([d64(end)]))[0],
    )
    first = np.maximum(month_index(persons["_certified"].to_numpy("datetime64[D]")), first_window)
    death_month = np.where(dead, month_index(np.where(dead, death, d64(end))), last_window)
    paid_on = dead & (rng.random(n) < sa_by_county(county, "sa02_after_death"))
    last = np.where(paid_on, death_month + rng.integers(1, 4, n), death_month)
    last = np.minimum(last, last_window)

    parts = []
    for subsidy, flag, dirt, amounts in (
        (
            LIVING,
            living_ok | living_bad,
            np.where(living_bad, "living_no_household", ""),
            LIVING_SUBSIDY,
        ),
        (CARE, care_ok | care_bad, np.where(care_bad, "care_low_grade", ""), CARE_SUBSIDY),
    ):
        idx = np.flatnonzero(flag)
        rows, months = expand_months(first[idx], last[idx])
        who = idx[rows]
        after = months > death_month[who]
        tag = np.where(after, "paid_after_death", dirt[who])
        parts.append(
            pd.DataFrame(
                {
                    "recipient_id_number": persons["id_number"].to_numpy()[who],
                    "recipient_name": persons["person_name"].to_numpy()[who],
                    "subsidy_type": subsidy,
                    "case_id": None,
                    "temp_assistance_kind": None,
                    "_month": months,
                    "amount": pd.Series(grade[who]).map(amounts).to_numpy(float),
                    "paying_county_code": county[who].astype(object),
                    "_paid": month_start(months) + rng.integers(9, 20, len(months)) * DAY,
                    "_dirt": tag.astype(object),
                }
            )
        )
    payments = pd.concat(parts, ignore_index=True)
    dup = rng.random(len(payments)) < sa_by_county(
        payments["paying_county_code"].to_numpy(str), "sa02_duplicate"
    )
    twice = payments[dup].copy()
    twice["_paid"] = (
        twice["_paid"].to_numpy("datetime64[D]") + rng.integers(3, 10, len(twice)) * DAY
    )
    twice["_dirt"] = "duplicate_payment"
    return pd.concat([payments, twice], ignore_index=True)


def case_payments(
    rng: np.random.Generator, cases: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    """低保金 and 特困供养金 every month a case is in force; 临时救助金 once per approved case."""
    end64 = d64(end)
    first_window, last_window = month_index(np.array([d64(start), end64]))
    approved = pd.to_datetime(cases["approved_date"]).to_numpy("datetime64[D]")
    terminated = pd.to_datetime(cases["terminated_date"]).to_numpy("datetime64[D]")
    has_approval = ~np.isnat(approved)
    kind = cases["case_type"].to_numpy(str)

    monthly = np.flatnonzero(has_approval & np.isin(kind, ("低保", "特困")))
    first = np.maximum(month_index(approved[monthly]), first_window)
    last = np.where(
        np.isnat(terminated[monthly]),
        last_window,
        month_index(np.where(np.isnat(terminated[monthly]), end64, terminated[monthly])),
    )
    rows, months = expand_months(first, np.minimum(last, last_window))
    who = monthly[rows]
    regular = pd.DataFrame(
        {
            "recipient_id_number": cases["applicant_id_number"].to_numpy()[who],
            "recipient_name": cases["applicant_name"].to_numpy()[who],
            "subsidy_type": np.where(kind[who] == "低保", "低保金", "特困供养金").astype(object),
            "case_id": cases["case_id"].to_numpy()[who],
            "temp_assistance_kind": None,
            "_month": months,
            "amount": cases["monthly_amount"].to_numpy()[who].astype(float),
            "paying_county_code": cases["handling_county_code"].to_numpy()[who],
            "_paid": month_start(months) + rng.integers(4, 15, len(months)) * DAY,
            "_dirt": "",
        }
    )

    temp = np.flatnonzero(has_approval & (kind == "临时救助"))
    paid = np.minimum(approved[temp] + rng.integers(0, 7, len(temp)) * DAY, end64)
    one_off = pd.DataFrame(
        {
            "recipient_id_number": cases["applicant_id_number"].to_numpy()[temp],
            "recipient_name": cases["applicant_name"].to_numpy()[temp],
            "subsidy_type": "临时救助金",
            "case_id": cases["case_id"].to_numpy()[temp],
            "temp_assistance_kind": cases["temp_assistance_kind"].to_numpy()[temp],
            "_month": month_index(paid),
            "amount": cases["one_off_amount"].to_numpy()[temp].astype(float),
            "paying_county_code": cases["handling_county_code"].to_numpy()[temp],
            "_paid": paid,
            "_dirt": "",
        }
    )
    return pd.concat([regular, one_off], ignore_index=True)

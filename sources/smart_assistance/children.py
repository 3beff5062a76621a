"""Children in difficulty and their basic living allowance, minor-protection stations, child
workers (儿童督导员 per town, 儿童主任 per village or community) and their trainings."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.names import random_mobiles, random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, real_villages, towns, villages_in
from sources.common.simtools import DAY, d64, date_text, pick, random_dates, scaled
from sources.smart_assistance.params import (
    CHILD_ALLOWANCE,
    CHILD_OLD_STANDARD,
    CHILD_STANDARD,
    SA_PROFILES,
    sa_by_county,
)
from sources.smart_assistance.payments import (
    expand_months,
    month_index,
    month_start,
    unique_id_numbers,
)

REAL_TOWN_TYPES = ("街道", "镇", "乡")
# Children eligible at any time at scale 1, per category; 15% of them become eligible in a window.
CHILDREN_STOCK = {"孤儿": 400, "事实无人抚养儿童": 1_000}
TRAINING_NAMES = ("儿童福利政策业务培训", "未成年人保护专题培训", "困境儿童关爱服务实务")
TRAINING_LEVELS = ("省级", "市级", "县级")
TRAINING_LEVEL_SHARES = (0.1, 0.4, 0.5)


def children_in_difficulty(
    rng: np.random.Generator,
    scale: float,
    start: date,
    end: date,
    taken: set[str],
    counts: dict[str, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """Orphans (300-500 at scale 1) and de-facto unsupported children (800-1,200).

    ``counts`` (per category: eligible before ``start``, newly eligible in the window) overrides
    the scaled volumes.
    """
    start64, end64 = d64(start), d64(end)
    parts = []
    for category, stock in CHILDREN_STOCK.items():
        if counts is None:
            n_stock, n_new = scaled(stock * 0.85, scale), scaled(stock * 0.15, scale)
        else:
            n_stock, n_new = counts[category]
        n = n_stock + n_new
        age_days = rng.integers(0, 17 * 365, n)
        birth = np.concatenate(
            [
                start64 - age_days[:n_stock] * DAY,
                random_dates(rng, d64(start) - 16 * 365 * DAY, start64, n_new),
            ]
        )
        from_stock = np.maximum(
            random_dates(rng, "2015-01-01", start64 - DAY, n_stock), birth[:n_stock]
        )
        eligible_from = np.concatenate([from_stock, random_dates(rng, start64, end64, n_new)])
        eligible_from = np.maximum(eligible_from, birth)
        adult = (pd.DatetimeIndex(birth) + pd.DateOffset(years=18)).to_numpy("datetime64[D]")
        leaves = (
            eligible_from
            + np.minimum(rng.exponential(365.0 / 0.06, n), 20_000).astype(np.int64) * DAY
        )
        eligible_to = np.minimum(adult - DAY, leaves)
        eligible_to = np.where(eligible_to <= end64, eligible_to, np.datetime64("NaT", "D"))
        central = rng.random(n) < (0.3 if category == "孤儿" else 0.03)
        parts.append(
            pd.DataFrame(
                {
                    "child_category": category,
                    "care_mode": np.where(central, "集中养育", "社会散居").astype(object),
                    "_birth": birth,
                    "_from": eligible_from,
                    "_to": eligible_to,
                }
            )
        )
    kids = pd.concat(parts, ignore_index=True)
    n = len(kids)
    weights = np.array([PROFILES[c].population_share for c in COUNTIES])
    county = pick(rng, COUNTIES, n, weights).astype(str)
    male = rng.random(n) < 0.52
    birth = kids["_birth"].to_numpy("datetime64[D]")
    kids["id_number"] = unique_id_numbers(rng, county, birth, male, taken).astype(object)
    kids["child_name"] = random_names(rng, male).astype(object)
    kids["sex"] = np.where(male, "男", "女").astype(object)
    kids["birth_date"] = date_text(birth)
    kids["county_code"] = county.astype(object)
    kids["village_code"] = villages_in(rng, county)
    kids["eligible_from"] = date_text(kids["_from"].to_numpy("datetime64[D]"))
    kids["eligible_to"] = date_text(kids["_to"].to_numpy("datetime64[D]"))
    kids["monthly_standard"] = kids["care_mode"].map(CHILD_STANDARD).to_numpy(float)
    kids["guardian_phone"] = random_mobiles(rng, n).astype(object)
    return kids


def child_allowance_payments(
    rng: np.random.Generator, kids: pd.DataFrame, start: date, end: date
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Every eligible month paid at the standard, except (by county) a month missed or underpaid
    at last year's standard; a few months are paid in two instalments."""
    first_window, last_window = month_index(np.array([d64(start), d64(end)]))
    first = np.maximum(month_index(kids["_from"].to_numpy("datetime64[D]")), first_window)
    to = kids["_to"].to_numpy("datetime64[D]")
    last = np.where(np.isnat(to), last_window, month_index(np.where(np.isnat(to), d64(end), to)))
    rows, months = expand_months(first, np.minimum(last, last_window))
    county = kids["county_code"].to_numpy(str)[rows]
    mode = kids["care_mode"].to_numpy(str)[rows]
    standard = pd.Series(mode).map(CHILD_STANDARD).to_numpy(float)
    short = rng.random(len(rows)) >= sa_by_county(county, "ch03_full")
    missed = short & (rng.random(len(rows)) < 0.5)
    under = short & ~missed
    amount = np.where(under, pd.Series(mode).map(CHILD_OLD_STANDARD).to_numpy(float), standard)
    split = ~short & (rng.random(len(rows)) < 0.01)
    frame = pd.DataFrame(
        {
            "recipient_id_number": kids["id_number"].to_numpy()[rows],
            "recipient_name": kids["child_name"].to_numpy()[rows],
            "subsidy_type": CHILD_ALLOWANCE,
            "case_id": None,
            "temp_assistance_kind": None,
            "_month": months,
            "amount": np.where(split, np.round(standard * 0.6, 2), amount),
            "paying_county_code": county.astype(object),
            "_paid": month_start(months) + rng.integers(5, 15, len(rows)) * DAY,
            "_dirt": np.where(under, "child_underpaid", "").astype(object),
        }
    )[~missed]
    second = frame[split[~missed]].copy()
    second["amount"] = np.round(standard[~missed][split[~missed]] * 0.4, 2)
    second["_paid"] = second["_paid"].to_numpy("datetime64[D]") + 5 * DAY
    counts = {"child_months_missed": int(missed.sum()), "child_months_underpaid": int(under.sum())}
    return pd.concat([frame, second], ignore_index=True), counts


def minor_protection_stations(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    """A station per real town or street and one per county; upgrades to provincial
    demonstration level per the county plan for each year of the window."""
    town_rows = towns()
    town_rows = town_rows[town_rows["unit_type"].isin(REAL_TOWN_TYPES)]
    names = np.concatenate(
        [town_rows["name"].to_numpy(str), np.array([f"{c}县级" for c in COUNTIES])]
    )
    county = np.concatenate([town_rows["county_code"].to_numpy(str), np.array(COUNTIES)])
    town_code = np.concatenate(
        [town_rows["code"].to_numpy(object), np.full(len(COUNTIES), None, dtype=object)]
    )
    n = len(names)
    established = random_dates(rng, "2020-06-01", "2022-12-31", n)
    upgraded = np.full(n, np.datetime64("NaT", "D"))
    # Stations already at provincial level before the window.
    upgraded[rng.random(n) < 0.08] = d64("2022-06-30")
    for year in range(start.year, end.year + 1):
        for code in COUNTIES:
            plan = SA_PROFILES[code]
            planned = (
                plan.ch01_upgrades_previous_year if year < 2024 else plan.ch01_upgrades_plan_year
            )
            pool = np.flatnonzero((county == code) & np.isnat(upgraded))
            chosen = rng.choice(pool, size=min(planned, len(pool)), replace=False)
            upgraded[chosen] = random_dates(rng, f"{year}-02-01", f"{year}-12-20", len(chosen))
    upgraded = np.where(upgraded <= d64(end), upgraded, np.datetime64("NaT", "D"))
    city_level = np.isnat(upgraded) & (rng.random(n) < 0.2)
    level = np.where(
        ~np.isnat(upgraded), "省级示范站", np.where(city_level, "市级示范站", "普通站")
    )
    return pd.DataFrame(
        {
            "station_name": np.char.add(names, "未成年人保护工作站").astype(object),
            "county_code": county.astype(object),
            "town_code": town_code,
            "station_level": level.astype(object),
            "established_date": date_text(established),
            "provincial_demo_date": date_text(upgraded),
            "_created": established,
            "_changed": np.where(np.isnat(upgraded), established, upgraded),
        }
    )


def child_workers(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    """One 儿童督导员 per real town, one 儿童主任 per real village; some leave and are replaced."""
    town_rows = towns()
    town_rows = town_rows[town_rows["unit_type"].isin(REAL_TOWN_TYPES)]
    villages = real_villages()
    units = np.concatenate([town_rows["code"].to_numpy(str), villages["code"].to_numpy(str)])
    roles = np.concatenate(
        [np.full(len(town_rows), "儿童督导员"), np.full(len(villages), "儿童主任")]
    )
    n = len(units)
    start64, end64 = d64(start), d64(end)
    appointed = random_dates(rng, "2018-01-01", start64 - DAY, n)
    years = ((end64 - start64) / DAY + 1) / 365.0
    leaves = rng.random(n) < 0.08 * years
    left = np.where(leaves, random_dates(rng, start64, end64 - 70 * DAY, n), np.datetime64("NaT"))
    idx = np.flatnonzero(leaves)
    successor_from = left[idx] + rng.integers(10, 60, len(idx)) * DAY
    all_units = np.concatenate([units, units[idx]])
    frame = pd.DataFrame(
        {
            "worker_role": np.concatenate([roles, roles[idx]]).astype(object),
            "county_code": pd.Series(all_units).str[:6].to_numpy(object),
            "unit_code": all_units.astype(object),
            "_appointed": np.concatenate([appointed, successor_from]),
            "_left": np.concatenate([left, np.full(len(idx), np.datetime64("NaT", "D"))]),
        }
    )
    male = rng.random(len(frame)) < 0.35
    frame["worker_name"] = random_names(rng, male).astype(object)
    frame["worker_phone"] = random_mobiles(rng, len(frame)).astype(object)
    frame["appointed_date"] = date_text(frame["_appointed"].to_numpy("datetime64[D]"))
    frame["left_date"] = date_text(frame["_left"].to_numpy("datetime64[D]"))
    return frame


def worker_trainings(
    rng: np.random.Generator, workers: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    """Each year, a worker in post is trained (by county rate) between appointment and leaving;
    some attend a second session."""
    parts = []
    appointed = workers["_appointed"].to_numpy("datetime64[D]")
    left = workers["_left"].to_numpy("datetime64[D]")
    rate = sa_by_county(workers["county_code"].to_numpy(str), "ch02_trained")
    for year in range(start.year, end.year + 1):
        lo = np.maximum(appointed, max(d64(f"{year}-01-01"), d64(start)))
        hi = np.minimum(
            np.where(np.isnat(left), d64(end), left - DAY), min(d64(f"{year}-12-31"), d64(end))
        )
        in_year = lo <= hi
        trained = in_year & (rng.random(len(workers)) < rate)
        idx = np.flatnonzero(trained)
        span = (hi[idx] - lo[idx]) / DAY + 1
        when = lo[idx] + (rng.random(len(idx)) * span).astype(np.int64) * DAY
        again = rng.random(len(idx)) < 0.2
        when2 = lo[idx][again] + (rng.random(again.sum()) * span[again]).astype(np.int64) * DAY
        parts.append(
            pd.DataFrame(
                {
                    "_worker": np.concatenate([idx, idx[again]]),
                    "_trained": np.concatenate([when, when2]),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    n = len(frame)
    frame["training_name"] = pick(rng, TRAINING_NAMES, n)
    frame["training_level"] = pick(rng, TRAINING_LEVELS, n, TRAINING_LEVEL_SHARES)
    frame["training_hours"] = training_hours(rng, n)
    frame["training_date"] = date_text(frame["_trained"].to_numpy("datetime64[D]"))
    return frame


def training_hours(rng: np.random.Generator, n: int) -> np.ndarray:
    """Hours of a session, as text."""
    return rng.choice([4, 8, 16], n, p=[0.5, 0.35, 0.15]).astype(str)

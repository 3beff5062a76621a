"""Older residents (60+), home-service orders, care visits and smart-technology training."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, real_villages
from sources.common.simtools import DAY, d64, office_times, pick, scaled, sql_local
from sources.elderly_care import params
from sources.elderly_care.params import EC_PROFILES

SERVICE_TYPES = ("助餐", "助洁", "助浴", "助医", "康复护理", "陪护", "助急")
SERVICE_TYPE_SHARES = (0.3, 0.2, 0.1, 0.15, 0.1, 0.1, 0.05)
CANCELLED_ORDER_SHARE = 0.03
VISIT_METHODS = ("上门探访", "电话探访", "视频探访")
VISIT_METHOD_SHARES = (0.7, 0.25, 0.05)
VISITOR_ROLES = ("网格员", "社工", "村(居)干部", "志愿者")
SMART_COURSES = ("智能手机使用", "移动支付防诈骗", "健康码与挂号", "视频通话")
YES_NO = np.array(["否", "是"], dtype=object)


def add_years(days: np.ndarray, years: int) -> np.ndarray:
    """The same month and day ``years`` later (only used with multiples of 4: 29 Feb survives)."""
    text = np.datetime_as_string(np.asarray(days, dtype="datetime64[D]"), unit="D")
    year = np.char.ljust(text, 4).astype("U4").astype(int) + years
    return np.char.add(year.astype(str), np.char.lstrip(text, "0123456789")).astype("datetime64[D]")


def order_amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    """What an order costs, whole yuan."""
    return np.round(rng.uniform(20, 120, n), 0).astype(int)


def residents(rng: np.random.Generator, scale: float, end: date) -> pd.DataFrame:
    """60+ residents at ``end`` (born at the latest in ``end.year - 60``), typed, clean."""
    shares = np.array([PROFILES[c].population_share for c in COUNTIES])
    counts = rng.multinomial(
        scaled(params.OLDER_RESIDENTS, scale, minimum=60), shares / shares.sum()
    )
    parts = []
    for county, n in zip(COUNTIES, counts, strict=True):
        villages = real_villages(county)["code"].to_numpy(str)
        parts.append(pd.DataFrame({"county_code": county, "village_code": rng.choice(villages, n)}))
    frame = pd.concat(parts, ignore_index=True)
    n = len(frame)
    age_years = np.minimum(rng.exponential(11.0, n).astype(int), 44)
    birth_year = end.year - 60 - age_years
    starts = np.char.add(birth_year.astype(str), "-01-01").astype("datetime64[D]")
    day = rng.integers(0, 365, n) * DAY
    frame["birth_date"] = starts + day
    male = rng.random(n) < 0.47
    frame["sex"] = np.where(male, "男", "女")
    frame["id_number"] = generate_id_numbers(
        rng, frame["county_code"].to_numpy(str), frame["birth_date"].to_numpy(), male
    ).astype(object)
    frame["resident_name"] = random_names(rng, male).astype(object)
    frame["living_alone"] = rng.random(n) < params.LIVING_ALONE_RATE
    frame["left_behind"] = rng.random(n) < params.LEFT_BEHIND_RATE
    frame["disabled"] = rng.random(n) < params.DISABLED_RATE
    frame["low_income"] = rng.random(n) < params.LOW_INCOME_RATE
    frame["turns_60"] = add_years(frame["birth_date"].to_numpy(), 60)
    frame["resident_id"] = np.char.add("LN", (10_000_001 + np.arange(n)).astype(str)).astype(object)
    return frame


def home_service_orders(
    rng: np.random.Generator,
    res: pd.DataFrame,
    orgs: pd.DataFrame,
    start: date,
    end: date,
) -> pd.DataFrame:
    """Orders per plan year: government-purchased ones per district rate, then private ones."""
    turns_60 = res["turns_60"].to_numpy("datetime64[D]")
    county = res["county_code"].to_numpy(str)
    rate = pd.Series(county).map({c: p.gov_service_rate for c, p in EC_PROFILES.items()}).to_numpy()
    parts = []
    for year in range(start.year, end.year + 1):
        y0, y1 = d64(f"{year}-01-01"), d64(f"{year}-12-31")
        eligible = turns_60 <= y1
        served = np.flatnonzero(eligible & (rng.random(len(res)) < rate))
        lo = np.maximum(turns_60[served], y0)
        span = ((y1 - lo) / DAY).astype(int) + 1
        first = lo + (rng.random(len(served)) * span).astype(int) * DAY
        k = 1 + rng.poisson(params.ORDERS_PER_SERVED, len(served))
        who = np.repeat(served, k)
        firsts = np.repeat(first, k)
        rest = (y1 - firsts).astype("timedelta64[D]").astype(int) + 1
        offset = (rng.random(len(who)) * rest).astype(int)
        is_first = np.r_[True, who[1:] != who[:-1]]
        when = firsts + np.where(is_first, 0, offset) * DAY
        parts.append(pd.DataFrame({"_row": who, "service_date": when, "gov": True}))
        n_private = int(len(who) * params.PRIVATE_ORDER_SHARE)
        pool = np.flatnonzero(eligible)
        who_p = rng.choice(pool, n_private) if len(pool) else np.array([], dtype=int)
        lo_p = np.maximum(turns_60[who_p], y0)
        span_p = ((y1 - lo_p) / DAY).astype(int) + 1
        when_p = lo_p + (rng.random(len(who_p)) * span_p).astype(int) * DAY
        parts.append(pd.DataFrame({"_row": who_p, "service_date": when_p, "gov": False}))
    orders = pd.concat(parts, ignore_index=True)
    n = len(orders)
    orders["service_type"] = pick(rng, SERVICE_TYPES, n, SERVICE_TYPE_SHARES)
    org_county = orgs["county_code"].to_numpy(str)
    org_ids = orgs["org_id"].to_numpy(object)
    order_county = county[orders["_row"].to_numpy()]
    provider = np.empty(n, dtype=object)
    for c in COUNTIES:
        mine = order_county == c
        options = org_ids[org_county == c]
        provider[mine] = options[rng.integers(0, len(options), int(mine.sum()))]
    orders["provider_org_id"] = provider
    orders["resident_id"] = res["resident_id"].to_numpy(object)[orders["_row"].to_numpy()]
    # One order per resident, day, service and provider: a clean system has no twin orders.
    orders = orders.drop_duplicates(
        ["resident_id", "service_date", "service_type", "provider_org_id", "gov"]
    )
    orders = orders.sort_values(["service_date", "resident_id"], kind="stable").reset_index(
        drop=True
    )
    n = len(orders)
    orders["order_status"] = np.where(rng.random(n) < CANCELLED_ORDER_SHARE, "已取消", "已完成")
    orders["amount"] = order_amounts(rng, n)
    orders["order_id"] = 1 + np.arange(n, dtype=np.int64)
    lag = rng.integers(0, 3, n) * DAY
    entered = np.minimum(orders["service_date"].to_numpy("datetime64[D]") + lag, d64(end))
    orders["_updated"] = office_times(rng, entered)
    return orders


def care_visits(
    rng: np.random.Generator, res: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    """Visits to flagged residents: per month, visited at the district's rate, often again."""
    flagged = (
        res["living_alone"] | res["left_behind"] | res["disabled"] | res["low_income"]
    ).to_numpy()
    rows = np.flatnonzero(flagged)
    county = res["county_code"].to_numpy(str)[rows]
    rate = pd.Series(county).map({c: p.visit_rate for c, p in EC_PROFILES.items()}).to_numpy()
    turns_60 = res["turns_60"].to_numpy("datetime64[D]")[rows]
    # Calendar months of the range, the first and last cut to the range's own start and end.
    month_index = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)
    months = np.maximum(month_index.astype("datetime64[D]"), d64(start))
    month_ends = np.minimum((month_index + 1).astype("datetime64[D]") - 1, d64(end))
    visited = (rng.random((len(rows), len(months))) < rate[:, None]) & (
        turns_60[:, None] <= month_ends[None, :]
    )
    who, m = np.nonzero(visited)
    repeats = 1 + rng.poisson(params.EXTRA_VISITS_PER_VISITED_MONTH, len(who))
    who = np.repeat(who, repeats)
    m = np.repeat(m, repeats)
    length = ((month_ends[m] - months[m]) / DAY).astype(int) + 1
    when = months[m] + (rng.random(len(who)) * length).astype(int) * DAY
    visits = pd.DataFrame(
        {"resident_id": res["resident_id"].to_numpy(object)[rows[who]], "visit_date": when}
    )
    visits = visits.sort_values(["visit_date", "resident_id"], kind="stable").reset_index(drop=True)
    n = len(visits)
    visits["visit_method"] = pick(rng, VISIT_METHODS, n, VISIT_METHOD_SHARES)
    visits["visitor_role"] = pick(rng, VISITOR_ROLES, n)
    visits["visit_id"] = 1 + np.arange(n, dtype=np.int64)
    lag = rng.integers(0, 4, n) * DAY
    entered = np.minimum(visits["visit_date"].to_numpy("datetime64[D]") + lag, d64(end))
    visits["_updated"] = office_times(rng, entered)
    return visits


def smart_trainings(
    rng: np.random.Generator, res: pd.DataFrame, start: date, end: date, scale: float
) -> pd.DataFrame:
    """Attendance at smart-technology courses; a resident may attend several sessions."""
    county = res["county_code"].to_numpy(str)
    turns_60 = res["turns_60"].to_numpy("datetime64[D]")
    parts = []
    for year in range(start.year, end.year + 1):
        y0, y1 = d64(f"{year}-01-01"), d64(f"{year}-12-31")
        for c in COUNTIES:
            n = scaled(
                EC_PROFILES[c].smart_training_2024 * (0.7 if year < end.year else 1.0), scale, 2
            )
            pool = np.flatnonzero((county == c) & (turns_60 <= y0))
            who = rng.choice(pool, n)
            when = y0 + rng.integers(0, int((y1 - y0) / DAY) + 1, n) * DAY
            parts.append(pd.DataFrame({"_row": who, "training_date": when}))
    out = pd.concat(parts, ignore_index=True)
    out["resident_id"] = res["resident_id"].to_numpy(object)[out["_row"].to_numpy()]
    out = out.drop_duplicates(["resident_id", "training_date"])
    out = out.sort_values(["training_date", "resident_id"], kind="stable").reset_index(drop=True)
    n = len(out)
    out["course"] = pick(rng, SMART_COURSES, n)
    out["attendance_id"] = 1 + np.arange(n, dtype=np.int64)
    out["_updated"] = office_times(rng, np.minimum(out["training_date"].to_numpy() + DAY, d64(end)))
    return out


def resident_rows(res: pd.DataFrame, rng: np.random.Generator, end: date) -> pd.DataFrame:
    """The served table: flags as 是/否, entered when the resident turns 60 (or at go-live)."""
    entered = np.clip(res["turns_60"].to_numpy("datetime64[D]"), d64("2022-12-01"), d64(end))
    return pd.DataFrame(
        {
            "resident_id": res["resident_id"],
            "id_number": res["id_number"],
            "resident_name": res["resident_name"],
            "sex": res["sex"],
            "birth_date": np.datetime_as_string(res["birth_date"].to_numpy("datetime64[D]")),
            "village_code": res["village_code"],
            "living_alone": YES_NO[res["living_alone"].to_numpy(int)],
            "left_behind": YES_NO[res["left_behind"].to_numpy(int)],
            "disabled": YES_NO[res["disabled"].to_numpy(int)],
            "low_income": YES_NO[res["low_income"].to_numpy(int)],
            "updated_at": sql_local(office_times(rng, entered)),
        }
    )

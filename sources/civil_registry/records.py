"""The data exchange's other civil-registry feeds: marriage registrations, public-welfare ashes
facility projects, the city funeral-home renovation milestones and rescue-station stays.

Each generator returns the rows it serves (every version, with a hidden ``_file_day``: the day of
the file that carries it) and the clean state (latest version per key, what the KPIs count).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import corrupt_check_chars, generate_id_numbers
from sources.common.names import random_names
from sources.common.profiles import PROFILES, by_county
from sources.common.regions import COUNTIES, COUNTY_NAMES, towns
from sources.common.simtools import DAY, d64, date_text, pick, prefixed_ids, random_dates, scaled

from .client import ENTITY_COLUMNS
from .params import CITY, CIVIL_PROFILES, RESCUE_STATIONS

MARRIAGES_PER_YEAR = int(CITY["marriages_per_year"])
DIVORCES_PER_YEAR = int(CITY["divorces_per_year"])
CROSS_PROVINCE_FROM = "2023-06-01"  # 婚姻登记跨省通办 in Jiangsu
OTHER_PROVINCE_COUNTIES = (
    "340104", "411302", "510107", "522101", "430102", "360102", "420102", "370102", "130102",
    "500101",
)  # fmt: skip
RESCUE_STAYS_PER_YEAR = int(CITY["rescue_station_stays_per_year"])
RENOVATION_MILESTONES = (
    ("立项批复", "2023-03-15"),
    ("设计招标", "2023-07-20"),
    ("主体施工", "2024-04-30"),
    ("设备安装", "2024-08-15"),
    ("竣工验收", "2024-09-26"),
)
LEAVE_REASONS = ("返乡", "亲属接回", "转介安置", "自行离站")
LEAVE_REASON_SHARES = (0.5, 0.2, 0.1, 0.2)
FACILITY_KINDS = ("城市公益性公墓", "农村公益性骨灰堂")
FACILITY_KIND_SHARES = (0.3, 0.7)
CONSTRUCTION_TYPES = ("新建", "扩建")  # a 修缮 (repair) project is the odd one out
CONSTRUCTION_SHARES = (0.45, 0.55)
NAT = np.datetime64("NaT", "D")


def _masked(mask: np.ndarray, values: object) -> np.ndarray:
    """``values`` where ``mask`` holds, None elsewhere (an object array for text columns)."""
    out = np.array(values, dtype=object)
    out[~np.asarray(mask, dtype=bool)] = None
    return out


def _population_counties(rng: np.random.Generator, n: int) -> np.ndarray:
    return pick(rng, COUNTIES, n, [PROFILES[c].population_share for c in COUNTIES]).astype(str)


def _latest(served: pd.DataFrame, key: str) -> pd.DataFrame:
    ordered = served.assign(_v=served["record_version"].astype(int)).sort_values([key, "_v"])
    return ordered.drop_duplicates(key, keep="last").drop(columns="_v").reset_index(drop=True)


# --- 婚姻登记 -------------------------------------------------------------------


def registration_day_weights(days: np.ndarray) -> np.ndarray:
    """Relative registrations per day: few at weekends, a rush on 20 May (520)."""
    weekday = (days.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
    weight = np.where(weekday < 5, 1.0, 0.12)
    text = np.datetime_as_string(days)
    return np.where(np.char.endswith(text, "-05-20"), 8.0, weight)


def marriages(
    rng: np.random.Generator,
    scale: float,
    start: date,
    end: date,
    bad_id_rate: float,
    counts: tuple[int, int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Registrations served (every version, a few duplicated), their latest state and the dirt.

    ``counts`` (marriages, divorces) overrides the scaled volumes.
    """
    days = np.arange(d64(start), d64(end) + DAY, DAY)
    weight = registration_day_weights(days)
    years = len(days) / 365
    if counts is None:
        n_mar = scaled(MARRIAGES_PER_YEAR * years, scale, minimum=10)
        n_div = scaled(DIVORCES_PER_YEAR * years, scale, minimum=4)
    else:
        n_mar, n_div = counts
    n = n_mar + n_div
    kind = np.array(["结婚"] * n_mar + ["离婚"] * n_div, dtype=object)
    registered = days[rng.choice(len(days), size=n, p=weight / weight.sum())]
    order = np.argsort(registered, kind="stable")
    registered, kind = registered[order], kind[order]
    county = _population_counties(rng, n)
    rate = np.array([CIVIL_PROFILES[c].cross_province_marriage_rate for c in county])
    cross = (registered >= d64(CROSS_PROVINCE_FROM)) & (rng.random(n) < rate)
    other = np.array(OTHER_PROVINCE_COUNTIES)[rng.integers(0, len(OTHER_PROVINCE_COUNTIES), n)]
    male_outside = rng.random(n) < 0.5
    age_shift = np.where(kind == "离婚", 10, 0)
    male_birth = registered - ((rng.integers(22, 40, n) + age_shift) * 365.25).astype(int) * DAY
    female_birth = registered - ((rng.integers(20, 37, n) + age_shift) * 365.25).astype(int) * DAY
    male_home = np.where(cross & male_outside, other, county)
    female_home = np.where(cross & ~male_outside, other, county)
    male_ids = generate_id_numbers(rng, male_home, male_birth, np.ones(n, dtype=bool))
    female_ids = generate_id_numbers(rng, female_home, female_birth, np.zeros(n, dtype=bool))
    bad = np.flatnonzero(rng.random(n) < bad_id_rate)
    male_ids[bad] = corrupt_check_chars(rng, male_ids[bad])
    office = np.array([f"{PROFILES[c].funeral_home[:3]}婚姻登记处" for c in county])
    frame = pd.DataFrame(
        {
            "registration_id": prefixed_ids("HY", 5_000_000_000, n),
            "record_version": "1",
            "registration_type": kind,
            "registration_date": date_text(registered),
            "registration_county_code": county,
            "registry_office": office,
            "male_id_number": male_ids,
            "male_name": random_names(rng, np.ones(n, dtype=bool)),
            "female_id_number": female_ids,
            "female_name": random_names(rng, np.zeros(n, dtype=bool)),
            "is_cross_province": np.where(cross, "是", "否"),
            "other_province_code": _masked(cross, other.astype("<U2")),
            "_file_day": registered,
        }
    )
    # Late files: ~1% of records reach the exchange 1-5 days after they were registered.
    late = rng.random(n) < 0.01
    file_day = registered + np.where(late, rng.integers(1, 6, n), 0) * DAY
    frame["_file_day"] = np.minimum(file_day, d64(end))
    # Corrections: a later version fixes a name or a missed 跨省通办 flag.
    fix = np.flatnonzero((rng.random(n) < 0.004) & (registered + 20 * DAY <= d64(end)))
    fixed = frame.iloc[fix].copy()
    fixed["record_version"] = "2"
    later = fixed["_file_day"].to_numpy("datetime64[D]") + rng.integers(1, 20, len(fix)) * DAY
    fixed["_file_day"] = np.minimum(later, d64(end))
    fixed["female_name"] = random_names(rng, np.zeros(len(fix), dtype=bool))
    # Duplicates: the exchange sends ~0.2% of rows twice in the same file.
    dup = frame.iloc[np.flatnonzero(rng.random(n) < 0.002)]
    served = pd.concat([frame, fixed, dup], ignore_index=True)
    injected = {
        "bad_id_check_digit": {
            "count": len(bad),
            "keys": frame["registration_id"].iloc[bad].tolist(),
        },
        "corrected": {"count": len(fixed), "keys": fixed["registration_id"].tolist()},
        "duplicated_rows": {"count": len(dup), "keys": dup["registration_id"].tolist()},
        "late_file_rows": {"count": int(late.sum())},
    }
    return served, _latest(pd.concat([frame, fixed]), "registration_id"), injected


# --- 公益性骨灰安放设施 --------------------------------------------------


def ashes_facility_projects(
    rng: np.random.Generator, start: date, end: date
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """New or expanded facilities (新建 / 扩建); a 修缮 (repair) project never counts."""
    plan = []  # (started, completed, construction type)
    for year, n_done, slipped in ((start.year, 6, 1), (end.year, 9, 1)):
        for _ in range(n_done):
            plan.append((f"{year - 1}-0{rng.integers(3, 10)}-15", None, year))
        for _ in range(slipped):
            plan.append((f"{year}-0{rng.integers(3, 8)}-10", None, year + 1))
    n = len(plan)
    started = np.array([d64(p[0]) for p in plan])
    completed_year = np.array([p[2] for p in plan])
    completed = np.array(
        [random_dates(rng, f"{y}-02-01", f"{y}-12-20", 1)[0] for y in completed_year]
    )
    construction = pick(rng, CONSTRUCTION_TYPES, n, CONSTRUCTION_SHARES).astype(object)
    construction[rng.integers(0, n)] = "修缮"
    county = _population_counties(rng, n)
    town = towns()
    town_of = {c: g["code"].to_numpy(str) for c, g in town.groupby("county_code")}
    town_code = np.array([town_of[c][rng.integers(0, len(town_of[c]))] for c in county])
    kind = pick(rng, FACILITY_KINDS, n, FACILITY_KIND_SHARES).astype(str)
    base = pd.DataFrame(
        {
            "project_id": prefixed_ids("GH", 240_001, n),
            "facility_name": [
                f"{COUNTY_NAMES[c]}{k}(第{i + 1}号)"
                for i, (c, k) in enumerate(zip(county, kind, strict=True))
            ],
            "county_code": county,
            "town_code": town_code,
            "facility_kind": kind,
            "construction_type": construction,
            "started_date": date_text(started),
            "niche_capacity": rng.integers(3, 40, n) * 100,
            "_started": started,
            "_completed": completed,
        }
    )
    first = base.copy()
    first["record_version"] = "1"
    first["project_status"] = "在建"
    first["completed_date"] = None
    first["_file_day"] = np.maximum(started, d64(start))
    done = base[base["_completed"].to_numpy("datetime64[D]") <= d64(end)].copy()
    done["record_version"] = "2"
    done["project_status"] = "已竣工"
    done["completed_date"] = date_text(done["_completed"].to_numpy("datetime64[D]"))
    done["_file_day"] = done["_completed"]
    # One completed project's capacity is corrected a week later.
    fix = done.iloc[[0]].copy()
    fix["record_version"] = "3"
    fix["niche_capacity"] = fix["niche_capacity"] + 200
    fix["_file_day"] = np.minimum(fix["_completed"].to_numpy("datetime64[D]") + 7 * DAY, d64(end))
    served = pd.concat([first, done, fix], ignore_index=True)
    served = served[served["_file_day"].to_numpy("datetime64[D]") <= d64(end)]
    served["niche_capacity"] = served["niche_capacity"].astype(str)
    return served, _latest(served, "project_id"), {"corrected": fix["project_id"].tolist()}


# --- 市殡仪馆改造提升 -----------------------------------------------------


def funeral_home_renovation(start: date, end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(RENOVATION_MILESTONES)
    planned = np.array([d64(d) for _, d in RENOVATION_MILESTONES])
    base = pd.DataFrame(
        {
            "milestone_id": [f"FH0001-{i + 1:02d}" for i in range(n)],
            "project_id": "FH0001",
            "project_name": str(CITY["funeral_home_renovation"]["project_name"]),
            "county_code": str(CITY["funeral_home_renovation"]["county_code"]),
            "milestone_seq": [str(i + 1) for i in range(n)],
            "milestone": [m for m, _ in RENOVATION_MILESTONES],
            "planned_date": date_text(planned),
            "_completed": planned,
        }
    )
    first = base.copy()
    first["record_version"] = "1"
    first["milestone_status"] = "未开始"
    first["completed_date"] = None
    first["_file_day"] = d64(start)
    done = base[planned <= d64(end)].copy()
    done["record_version"] = "2"
    done["milestone_status"] = "已完成"
    done["completed_date"] = date_text(done["_completed"].to_numpy("datetime64[D]"))
    done["_file_day"] = np.maximum(done["_completed"].to_numpy("datetime64[D]"), d64(start))
    served = pd.concat([first, done], ignore_index=True)
    return served, _latest(served, "milestone_id")


# --- 救助管理站 ----------------------------------------------------------------


def rescue_station_stays(
    rng: np.random.Generator, scale: float, start: date, end: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stays with a version per event: admission, identity established, departure."""
    start64, end64 = d64(start), d64(end)
    years = (int((end64 - start64) / DAY) + 1) / 365
    n_new = scaled(RESCUE_STAYS_PER_YEAR * years, scale, minimum=30)
    n_old = scaled(40, scale, minimum=4)  # long stays (滞留) admitted before the window
    n = n_new + n_old
    admitted = np.concatenate(
        [
            random_dates(rng, start, end, n_new),
            random_dates(rng, "2021-01-01", start64 - DAY, n_old),
        ]
    )
    kind = rng.random(n)
    length = np.where(
        kind < 0.80,
        rng.integers(1, 8, n),
        np.where(kind < 0.92, rng.integers(8, 31, n), rng.integers(31, 500, n)),
    )
    length = np.where(np.arange(n) >= n_new, rng.integers(700, 1500, n), length)
    left = admitted + length * DAY
    known = rng.random(n) < 0.70
    found_later = rng.random(n) < 0.65
    established = np.where(
        known, admitted, np.where(found_later, admitted + rng.integers(3, 120, n) * DAY, NAT)
    ).astype("datetime64[D]")
    established = np.where(~np.isnat(established) & (established > left), NAT, established)
    established = np.where(
        ~np.isnat(established) & (established >= left) & ~known, NAT, established
    ).astype("datetime64[D]")
    stations = list(RESCUE_STATIONS)
    station = pick(rng, stations, n, [RESCUE_STATIONS[s][1] for s in stations]).astype(str)
    male = rng.random(n) < 0.78
    birth = admitted - (rng.integers(18, 80, n) * 365.25).astype(int) * DAY
    home = np.where(
        rng.random(n) < 0.6,
        np.array(OTHER_PROVINCE_COUNTIES)[rng.integers(0, len(OTHER_PROVINCE_COUNTIES), n)],
        station,
    )
    base = pd.DataFrame(
        {
            "stay_id": prefixed_ids("JZ", 60_000_001, n),
            "_id_number": generate_id_numbers(rng, home, birth, male),
            "_name": random_names(rng, male),
            "sex": np.where(male, "男", "女"),
            "station_name": [RESCUE_STATIONS[s][0] for s in station],
            "station_county_code": station,
            "admitted_date": date_text(admitted),
            "_admitted": admitted,
            "_established": established,
            "_left": np.where(left <= end64, left, NAT).astype("datetime64[D]"),
            "_reason": pick(rng, LEAVE_REASONS, n, LEAVE_REASON_SHARES),
        }
    )
    first_day = np.maximum(admitted, start64)
    events = [first_day, established, base["_left"].to_numpy("datetime64[D]")]
    rows = []
    for days in events:
        ok = ~np.isnat(days) & (days >= first_day) & (days <= end64)
        part = base[ok].copy()
        part["_file_day"] = days[ok]
        rows.append(part)
    served = pd.concat(rows, ignore_index=True).drop_duplicates(["stay_id", "_file_day"])
    served = served.sort_values(["stay_id", "_file_day"]).reset_index(drop=True)
    served["record_version"] = (served.groupby("stay_id").cumcount() + 1).astype(str)
    day = served["_file_day"].to_numpy("datetime64[D]")
    est = served["_established"].to_numpy("datetime64[D]")
    gone = served["_left"].to_numpy("datetime64[D]")
    has_id = ~np.isnat(est) & (est <= day)
    has_left = ~np.isnat(gone) & (gone <= day)
    served["person_id_number"] = _masked(has_id, served["_id_number"].to_numpy(str))
    served["person_name"] = _masked(has_id, served["_name"].to_numpy(str))
    served["identity_established_date"] = _masked(has_id, date_text(est))
    served["left_date"] = _masked(has_left, date_text(gone))
    served["leave_reason"] = _masked(has_left, served["_reason"].to_numpy(str))
    return served, _latest(served, "stay_id")


# --- deaths of people known to the assistance platform --------


def recipient_deaths(
    rng: np.random.Generator,
    shared: Mapping[str, pd.DataFrame] | None,
    start: date,
    end: date,
) -> pd.DataFrame:
    """Death records for the subsidy recipients the assistance simulator let die, registered a
    few days after death (empty when that simulator shared none)."""
    columns = [*ENTITY_COLUMNS["deaths"], "_file_day"]
    deaths = None if shared is None else shared.get("recipient_deaths")
    if deaths is None or len(deaths) == 0:
        return pd.DataFrame(columns=columns)
    rows = deaths.reset_index(drop=True)
    n = len(rows)
    died = rows["death_date"].to_numpy("datetime64[D]")
    registered = died + rng.integers(1, 7, n) * DAY
    keep = np.flatnonzero((registered >= d64(start)) & (registered <= d64(end)))
    rows, registered = rows.iloc[keep].reset_index(drop=True), registered[keep]
    return death_registrations(rng, rows, registered, prefixed_ids("SW", 3_900_000_000, len(rows)))


def death_registrations(
    rng: np.random.Generator, rows: pd.DataFrame, registered: np.ndarray, record_ids: np.ndarray
) -> pd.DataFrame:
    """Version-1 death records for known people (``rows``: deceased_id_number, deceased_name,
    sex, birth_date, death_date, registration_county_code) registered on the given days."""
    columns = [*ENTITY_COLUMNS["deaths"], "_file_day"]
    county = rows["registration_county_code"].astype(str).to_numpy()
    n = len(rows)
    via = rng.random(n) < by_county(county, "ss03_96444_rate", default=1.0).astype(float)
    home = by_county(county, "funeral_home")
    frame = pd.DataFrame(
        {
            "death_record_id": record_ids,
            "record_version": "1",
            "deceased_id_number": rows["deceased_id_number"].to_numpy(),
            "deceased_name": rows["deceased_name"].to_numpy(),
            "sex": rows["sex"].to_numpy(),
            "birth_date": rows["birth_date"].to_numpy(),
            "death_date": rows["death_date"].to_numpy(),
            "registration_date": date_text(registered),
            "registration_county_code": county,
            "cremated": np.where(rng.random(n) < 0.996, "是", "否"),
            "via_96444": np.where(via, "是", "否"),
            "funeral_home": np.where(pd.isna(home), str(CITY["city_funeral_home"]), home),
            "_file_day": registered,
        }
    )
    return frame[columns]

"""Community facilities with opening/closing/upgrade events, institution ratings, service orgs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import generate_credit_codes
from sources.common.regions import COUNTIES, COUNTY_NAMES, load_divisions
from sources.common.simtools import DAY, d64, office_times, pick, random_dates, scaled
from sources.elderly_care.params import EC_PROFILES

STREET_CENTRE = "街道综合养老服务中心"
STATION = "社区养老服务站"
MUTUAL_AID = "互助养老睦邻点"
MEAL_POINT = "社区助餐点"
GRADES = ("一级", "二级", "三级", "四级", "五级")
RATING_DAYS = 3 * 365  # a grade is held three years (GB/T 37276)
RECOGNITION_TYPES = ("品牌化", "连锁化")
UPGRADE_LEVELS = {MUTUAL_AID: "示范性", MEAL_POINT: "标准化"}


def _villages() -> pd.DataFrame:
    div = load_divisions()
    v = div[div["level"] == "village"].copy()
    suffix = v["code"].str[9:12]
    v["is_urban"] = suffix.between("001", "199")
    v["is_rural"] = suffix.between("200", "399")
    return v[v["is_urban"] | v["is_rural"]].reset_index(drop=True)


def community_facilities(
    rng: np.random.Generator, start: date, end: date
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """Facilities (typed) and their events; tied to real geography, so not scaled."""
    y0 = d64(f"{end.year}-01-01")
    y1 = d64(end)
    div = load_divisions()
    streets = div[(div["level"] == "town") & (div["unit_type"] == "街道")]
    villages = _villages()
    parts = []
    for county in COUNTIES:
        prof = EC_PROFILES[county]
        # Street centres: k new in the plan year, most other streets already have one.
        st = streets[streets["county_code"] == county].sample(frac=1, random_state=rng)
        k_new = min(prof.street_centres_new_2024, len(st))
        has_old = rng.random(len(st)) < 0.8
        has_old[:k_new] = False
        opened = np.where(
            np.arange(len(st)) < k_new,
            random_dates(rng, y0, y1, len(st)),
            random_dates(rng, "2016-01-01", f"{end.year - 1}-12-31", len(st)),
        )
        keep = (np.arange(len(st)) < k_new) | has_old
        parts.append(
            pd.DataFrame(
                {
                    "facility_type": STREET_CENTRE,
                    "county_code": county,
                    "town_code": st["code"].to_numpy()[keep],
                    "village_code": None,
                    "_place": st["name"].to_numpy()[keep],
                    "opened": opened[keep],
                }
            )
        )
        # Stations: urban communities covered by the end of the previous and the plan year.
        urban = villages[(villages["county_code"] == county) & villages["is_urban"]]
        u = len(urban)
        order = rng.permutation(u)
        old_n = round(u * prof.station_cover_2023)
        new_n = max(0, round(u * prof.station_cover_2024) - old_n)
        opened = np.where(
            np.arange(u) < old_n,
            random_dates(rng, "2015-01-01", f"{end.year - 1}-12-31", u),
            random_dates(rng, y0, y1, u),
        )
        pick_rows = order[: old_n + new_n]
        second = pick_rows[rng.random(len(pick_rows)) < 0.05]  # a few communities have two
        rows = np.r_[pick_rows, second]
        opened_rows = np.r_[
            opened[: old_n + new_n], random_dates(rng, "2018-01-01", y1, len(second))
        ]
        parts.append(
            pd.DataFrame(
                {
                    "facility_type": STATION,
                    "county_code": county,
                    "town_code": urban["parent_code"].to_numpy()[rows],
                    "village_code": urban["code"].to_numpy()[rows],
                    "_place": urban["name"].to_numpy()[rows],
                    "opened": opened_rows,
                }
            )
        )
        # Mutual-aid points in rural villages; meal points in any real village.
        rural = villages[(villages["county_code"] == county) & villages["is_rural"]]
        for kind, pool, share in (
            (MUTUAL_AID, rural, 0.6),
            (MEAL_POINT, villages[villages["county_code"] == county], 0.3),
        ):
            chosen = pool[rng.random(len(pool)) < share]
            parts.append(
                pd.DataFrame(
                    {
                        "facility_type": kind,
                        "county_code": county,
                        "town_code": chosen["parent_code"].to_numpy(),
                        "village_code": chosen["code"].to_numpy(),
                        "_place": chosen["name"].to_numpy(),
                        "opened": random_dates(rng, "2016-01-01", y1 - 30 * DAY, len(chosen)),
                    }
                )
            )
    fac = pd.concat(parts, ignore_index=True)
    fac["opened"] = fac["opened"].to_numpy("datetime64[D]")
    n = len(fac)
    fac["facility_id"] = np.char.add("SQ", (50_000_001 + np.arange(n)).astype(str)).astype(object)
    fac["facility_name"] = (fac["_place"].astype(str) + fac["facility_type"]).to_numpy(object)

    ev_parts = [
        pd.DataFrame(
            {
                "facility_id": fac["facility_id"],
                "event_type": "开业",
                "event_date": fac["opened"],
                "upgrade_level": None,
            }
        )
    ]
    # Upgrades in the plan year (and a few in the previous year).
    kinds = fac["facility_type"].to_numpy(str)
    opened = fac["opened"].to_numpy("datetime64[D]")
    rate = np.zeros(n)
    for county in COUNTIES:
        mine = fac["county_code"].to_numpy(str) == county
        rate[mine & (kinds == MUTUAL_AID)] = EC_PROFILES[county].mutual_aid_upgrade_rate
        rate[mine & (kinds == MEAL_POINT)] = EC_PROFILES[county].meal_upgrade_rate
    level = np.where(kinds == MUTUAL_AID, "示范性", "标准化")
    up_now = (rng.random(n) < rate) & (opened < y0)
    up_before = (rng.random(n) < rate) & (opened < y0 - 400 * DAY) & ~up_now
    when_now = random_dates(rng, y0, y1, n)
    when_before = random_dates(rng, y0 - 365 * DAY, y0 - DAY, n)
    ev_parts.append(
        pd.DataFrame(
            {
                "facility_id": fac["facility_id"][up_now],
                "event_type": "升级改造",
                "event_date": when_now[up_now],
                "upgrade_level": level[up_now],
            }
        )
    )
    ev_parts.append(
        pd.DataFrame(
            {
                "facility_id": fac["facility_id"][up_before],
                "event_type": "升级改造",
                "event_date": when_before[up_before],
                "upgrade_level": level[up_before],
            }
        )
    )
    notable: dict[str, object] = {}
    # One point upgraded twice in the plan year: it counts once.
    twice = np.flatnonzero(up_now & (when_now < y1 - 60 * DAY))
    if len(twice):
        i = int(twice[0])
        ev_parts.append(
            pd.DataFrame(
                {
                    "facility_id": [fac["facility_id"][i]],
                    "event_type": ["升级改造"],
                    "event_date": [when_now[i] + 30 * DAY],
                    "upgrade_level": [level[i]],
                }
            )
        )
        notable["upgraded_twice"] = [str(fac["facility_id"][i])]
    # A station closed in spring and reopened in late summer; another closed for good.
    stations = np.flatnonzero((kinds == STATION) & (opened < y0))
    closed_reopened: list[str] = []
    closed_for_good: list[str] = []
    if len(stations) >= 2:
        a, b = (int(x) for x in rng.choice(stations, 2, replace=False))
        fid_a, fid_b = str(fac["facility_id"][a]), str(fac["facility_id"][b])
        ev_parts.append(
            pd.DataFrame(
                {
                    "facility_id": [fid_a, fid_a, fid_b],
                    "event_type": ["停业", "恢复运营", "停业"],
                    "event_date": [
                        d64(f"{end.year}-04-10"),
                        d64(f"{end.year}-08-20"),
                        d64(f"{end.year}-06-30"),
                    ],
                    "upgrade_level": [None, None, None],
                }
            )
        )
        closed_reopened, closed_for_good = [fid_a], [fid_b]
    notable["closed_then_reopened"] = closed_reopened
    notable["closed"] = closed_for_good
    events = pd.concat(ev_parts, ignore_index=True)
    events["event_date"] = events["event_date"].to_numpy("datetime64[D]")
    events = events.sort_values(["event_date", "facility_id"], kind="stable").reset_index(drop=True)
    events["event_id"] = 1 + np.arange(len(events), dtype=np.int64)
    events["_updated"] = office_times(
        rng,
        np.minimum(
            events["event_date"].to_numpy("datetime64[D]") + rng.integers(0, 5, len(events)) * DAY,
            y1,
        ),
    )
    fac["status"] = np.where(fac["facility_id"].isin(closed_for_good), "停业", "运营")
    last = events.groupby("facility_id")["_updated"].max()
    fac["_updated"] = fac["facility_id"].map(last).to_numpy("datetime64[s]")
    del start
    return fac, events, notable


def institution_ratings(
    rng: np.random.Generator, inst: pd.DataFrame, end: date
) -> tuple[pd.DataFrame, list[str]]:
    """Grade history (GB/T 37276): valid three years; some lapse in the plan year unrenewed."""
    y0, y1 = d64(f"{end.year}-01-01"), d64(end)
    n = len(inst)
    county = inst["county_code"].to_numpy(str)
    kind = inst["institution_type"].to_numpy(str)
    opened = inst["_opened"].to_numpy("datetime64[D]")
    rated_rate = pd.Series(county).map({c: p.rated_rate for c, p in EC_PROFILES.items()}).to_numpy()
    g2 = pd.Series(county).map({c: p.grade2_rate for c, p in EC_PROFILES.items()}).to_numpy()
    # Rural homes are graded more systematically (the 二级 drive covers nearly all of them).
    rated = rng.random(n) < np.where(kind == "农村敬老院", np.maximum(rated_rate, 0.92), rated_rate)
    lo = np.maximum(opened + 90 * DAY, d64("2021-06-01"))
    days = (y1 - lo).astype("timedelta64[D]").astype(int)
    first = lo + (rng.random(n) * np.maximum(days, 1)).astype(int) * DAY
    rated &= first <= y1

    def grade(rows: np.ndarray) -> np.ndarray:
        return rating_grades(rng, kind[rows], g2[rows])

    rows = np.flatnonzero(rated)
    valid_until = first[rows] + RATING_DAYS * DAY
    parts = [
        pd.DataFrame(
            {
                "institution_id": inst["institution_id"].to_numpy()[rows],
                "grade": grade(rows),
                "rated_date": first[rows],
                "valid_until": valid_until,
            }
        )
    ]
    # Ratings lapsing in the plan year: most renewed near expiry, the rest lapse mid-year.
    lapsing = rows[(valid_until >= y0) & (valid_until < y1)]
    renew = lapsing[rng.random(len(lapsing)) < 0.6]
    lapsed = sorted(
        set(inst["institution_id"].to_numpy()[lapsing])
        - set(inst["institution_id"].to_numpy()[renew])
    )
    expiry = dict(zip(rows.tolist(), valid_until.tolist(), strict=True))
    renew_on = (
        np.array([expiry[int(i)] for i in renew], dtype="datetime64[D]")
        + rng.integers(-60, 30, len(renew)) * DAY
    )
    parts.append(
        pd.DataFrame(
            {
                "institution_id": inst["institution_id"].to_numpy()[renew],
                "grade": grade(renew),
                "rated_date": np.minimum(renew_on, y1),
                "valid_until": np.minimum(renew_on, y1) + RATING_DAYS * DAY,
            }
        )
    )
    ratings = pd.concat(parts, ignore_index=True)
    ratings = ratings.sort_values(["rated_date", "institution_id"], kind="stable").reset_index(
        drop=True
    )
    ratings["rating_id"] = 1 + np.arange(len(ratings), dtype=np.int64)
    ratings["_updated"] = office_times(
        rng, np.minimum(ratings["rated_date"].to_numpy("datetime64[D]") + 7 * DAY, y1)
    )
    return ratings, lapsed


def rating_grades(
    rng: np.random.Generator, kinds: np.ndarray, grade2_rates: np.ndarray
) -> np.ndarray:
    """Grades awarded: rural homes reach 二级 or above at the district's rate (else 一级), other
    institutions any grade."""
    rural = kinds == "农村敬老院"
    high = rng.random(len(kinds)) < grade2_rates
    any_grade = rng.integers(0, 5, len(kinds))
    two_up = rng.integers(1, 4, len(kinds))
    idx = np.where(rural, np.where(high, two_up, 0), any_grade)
    return np.array(GRADES)[idx]


def service_organizations(rng: np.random.Generator, scale: float, end: date) -> pd.DataFrame:
    """Home-care service organizations; a few recognized as brand/chain operators each year."""
    y0, y1 = d64(f"{end.year}-01-01"), d64(end)
    parts = []
    for county in COUNTIES:
        n = scaled(25, scale, minimum=6)
        k_now = min(EC_PROFILES[county].brand_orgs_2024, n - 2)
        recognized = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        recognized[:k_now] = random_dates(rng, y0, y1, k_now)
        recognized[k_now] = random_dates(rng, "2021-01-01", y0 - DAY, 1)[0]
        parts.append(pd.DataFrame({"county_code": county, "recognized": recognized}))
    orgs = pd.concat(parts, ignore_index=True)
    n = len(orgs)
    orgs["org_id"] = np.char.add("FW", (70_000_001 + np.arange(n)).astype(str)).astype(object)
    names = (
        orgs["county_code"].map(COUNTY_NAMES)
        + pick(rng, ("康乐", "颐和", "福寿", "安康", "乐龄", "松鹤"), n)
        + "居家养老服务中心"
        + (np.arange(n) + 1).astype(str)
        + "号"
    )
    orgs["org_name"] = names.to_numpy(object)
    orgs["credit_code"] = generate_credit_codes(
        rng, np.full(n, "52"), orgs["county_code"].to_numpy(str)
    ).astype(object)
    rec = ~np.isnat(orgs["recognized"].to_numpy("datetime64[D]"))
    orgs["recognition_type"] = np.where(rec, pick(rng, RECOGNITION_TYPES, n), np.array(None))
    touched = np.where(
        rec, orgs["recognized"].to_numpy("datetime64[D]"), random_dates(rng, "2022-01-01", y1, n)
    )
    orgs["_updated"] = office_times(rng, touched)
    return orgs

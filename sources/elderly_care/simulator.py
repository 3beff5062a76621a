"""Simulated 养老服务信息平台 database: institutions, beds, ratings, community facilities, older
residents, home-service orders, care visits, staff and trainings (one module per area)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sources.common.identity import generate_credit_codes
from sources.common.profiles import PROFILES, by_county
from sources.common.regions import CITY_NAME, COUNTIES, COUNTY_NAMES, towns
from sources.common.simtools import (
    DAY,
    SECOND,
    SystemResult,
    d64,
    date_text,
    office_times,
    prefixed_ids,
    progress,
    random_dates,
    scaled,
    sql_local,
)
from sources.elderly_care import facilities, residents, staff
from sources.elderly_care.params import CITY

DB_NAME = "elderly_care.sqlite"
INSTITUTION_COLUMNS = [
    "institution_id", "institution_name", "institution_type", "county_code", "town_code",
    "credit_code", "opened_date", "closed_date", "standardized_date", "updated_at",
]  # fmt: skip
BED_COLUMNS = [
    "change_id",
    "institution_id",
    "effective_date",
    "total_beds",
    "nursing_beds",
    "updated_at",
]

TYPES = ("公办养老机构", "民办养老机构", "农村敬老院", "区域性养老服务中心", "失能特困供养机构")
TYPE_SHARE = (0.15, 0.36, 0.34, 0.12, 0.03)
BRANDS = (
    "康乐",
    "颐和",
    "福寿",
    "安康",
    "乐龄",
    "松鹤",
    "夕阳红",
    "康宁",
    "怡园",
    "瑞福",
    "仁爱",
    "惠民",
)


def _institutions(rng: np.random.Generator, scale: float, start: date, end: date) -> pd.DataFrame:
    rows = []
    for county in COUNTIES:
        n = scaled(PROFILES[county].ec_institutions, scale, minimum=3)
        county_towns = towns(county)
        county_towns = county_towns[county_towns["unit_type"].isin(["镇", "街道", "乡"])]
        types = rng.choice(len(TYPES), size=n, p=TYPE_SHARE)
        types[0] = TYPES.index("失能特困供养机构")  # one per district, as the plan requires
        # Every district has at least one rural home and one regional centre (also at small
        # scales, so that EC04 and EC09 always have something to count).
        types[1] = TYPES.index("农村敬老院")
        types[2] = TYPES.index("区域性养老服务中心")
        pick = rng.integers(0, len(county_towns), n)
        rows.append(
            pd.DataFrame(
                {
                    "county_code": county,
                    "institution_type": np.array(TYPES)[types],
                    "town_code": county_towns["code"].to_numpy()[pick],
                    "_town_name": county_towns["name"].to_numpy()[pick],
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    n = len(frame)
    brand = np.array(BRANDS)[rng.integers(0, len(BRANDS), n)]
    county_name = frame["county_code"].map(COUNTY_NAMES).to_numpy(str)
    town_name = frame["_town_name"].to_numpy(str)
    kind = frame["institution_type"].to_numpy(str)
    names = np.select(
        [
            kind == "公办养老机构",
            kind == "民办养老机构",
            kind == "农村敬老院",
            kind == "区域性养老服务中心",
        ],
        [
            np.char.add(county_name, "社会福利院"),
            np.char.add(np.char.add(CITY_NAME, brand), "养老院"),
            np.char.add(town_name, "敬老院"),
            np.char.add(town_name, "区域性养老服务中心"),
        ],
        np.char.add(county_name, "失能特困人员供养服务中心"),
    )
    # Names repeat within a town; a running number keeps them distinct.
    frame["institution_name"] = names
    dup = frame.groupby("institution_name").cumcount().to_numpy()
    frame["institution_name"] = np.where(
        dup > 0,
        np.char.add(names, np.char.add("(", np.char.add((dup + 1).astype(str), ")"))),
        names,
    )
    private = kind == "民办养老机构"
    frame["credit_code"] = generate_credit_codes(
        rng, np.where(private, "52", "12"), frame["county_code"].to_numpy(str)
    )

    new = rng.random(n) < 0.06
    frame["_opened"] = np.where(
        new, random_dates(rng, start, end, n), random_dates(rng, "1995-01-01", "2022-12-31", n)
    )
    frame["_new"] = new
    closes = ~new & (rng.random(n) < 0.03)
    frame["_closed"] = np.where(closes, random_dates(rng, start, end, n), np.datetime64("NaT", "D"))
    frame["institution_id"] = prefixed_ids("YL", 32_000_011, n, step=137)
    # The district's guaranteed rural home operates all along.
    first_of_county = frame.groupby("county_code").cumcount().to_numpy()
    steady = first_of_county == 1
    frame.loc[steady, "_new"] = False
    frame.loc[steady, "_closed"] = np.datetime64("NaT", "D")
    frame.loc[steady, "_opened"] = np.minimum(
        frame.loc[steady, "_opened"].to_numpy("datetime64[D]"), d64("2022-12-31")
    )
    # One district's professional facility for disabled 特困 persons opens only in May of the
    # plan year.
    late_county = str(CITY["late_special_care_facility_county"])
    late = np.flatnonzero(
        (frame["county_code"].to_numpy(str) == late_county) & (kind == "失能特困供养机构")
    )[:1]
    frame.loc[late, "_opened"] = d64(f"{end.year}-05-20")
    frame.loc[late, "_new"] = True
    frame.loc[late, "_closed"] = np.datetime64("NaT", "D")
    # Regional centres reach the standardized level (some before, some during the plan year).
    regional = kind == "区域性养老服务中心"
    std = regional & (rng.random(n) < 0.75)
    std_on = np.where(
        rng.random(n) < 0.6,
        random_dates(rng, "2020-01-01", f"{end.year - 1}-12-31", n),
        random_dates(rng, f"{end.year}-01-01", end, n),
    )
    std_on = np.maximum(std_on, frame["_opened"].to_numpy("datetime64[D]"))
    frame["_standardized"] = np.where(std, std_on, np.datetime64("NaT", "D"))
    return frame


def _bed_history(
    rng: np.random.Generator, inst: pd.DataFrame, scale: float, start: date, end: date
) -> tuple[pd.DataFrame, list[str]]:
    """Bed rows per institution; returns them and the institutions closed then reopened."""
    start64, end64 = d64(start), d64(end)
    year_start = d64(f"{end.year}-01-01")
    n = len(inst)
    total = np.clip(np.round(rng.lognormal(np.log(140), 0.55, n)), 30, 900).astype(np.int64)
    county_of = inst["county_code"].to_numpy(str)
    s2022 = by_county(county_of, "ec_nursing_share_2022").astype(float)
    s2024 = by_county(county_of, "ec_nursing_share_2024").astype(float)
    opened = inst["_opened"].to_numpy("datetime64[D]")
    new = inst["_new"].to_numpy(bool)
    total = np.where(new, rng.integers(40, 120, n), total)
    share0 = np.clip(np.where(new, 0.9, s2022) + rng.normal(0, 0.06, n), 0.2, 1.0)

    rows: list[tuple[str, Any, int, int]] = []
    ids = inst["institution_id"].to_numpy(str)
    state_total, state_nursing = total.copy(), np.round(total * share0).astype(np.int64)
    for i in range(n):
        rows.append((str(ids[i]), opened[i], int(state_total[i]), int(state_nursing[i])))

    # 2023: expansions and conversions towards the county's mid-way share.
    in_2023 = ~new & (rng.random(n) < 0.7)
    days_2023 = random_dates(rng, start64, year_start - DAY, n)
    for j in np.flatnonzero(in_2023):
        i = int(j)
        grow = int(rng.integers(0, 40)) if rng.random() < 0.3 else 0
        state_total[i] += grow
        mid = (s2022[i] + s2024[i]) / 2 + rng.normal(0, 0.04)
        state_nursing[i] = int(
            np.clip(max(state_nursing[i], round(state_total[i] * mid)), 0, state_total[i])
        )
        rows.append(
            (
                str(ids[i]),
                days_2023[i],
                int(state_total[i]),
                int(state_nursing[i]),
            )
        )

    # Plan year: each county converts or adds nursing beds towards its own plan.
    existing = (opened < year_start) & ~new
    for county in COUNTIES:
        in_county = inst["county_code"].to_numpy(str) == county
        # New homes and closures move the count too; conversions make up the rest of the plan.
        opening = in_county & (opened >= year_start)
        closing = in_county & (inst["_closed"].to_numpy("datetime64[D]") >= year_start)
        target = scaled(PROFILES[county].ec10_nursing_added_2024, scale)
        target += int(state_nursing[closing].sum()) - int(state_nursing[opening].sum())
        idx = np.flatnonzero(existing & in_county)
        if len(idx) == 0 or target <= 0:
            continue
        movers = idx[rng.random(len(idx)) < 0.6]
        if len(movers) == 0:
            movers = idx[:1]
        shares = rng.multinomial(target, np.full(len(movers), 1 / len(movers)))
        when = random_dates(rng, year_start, end64, len(movers))
        for i, add, day in zip(movers, shares, when, strict=True):
            if add == 0:
                continue
            state_nursing[i] += int(add)
            state_total[i] = max(state_total[i], state_nursing[i])
            rows.append((str(ids[i]), day, int(state_total[i]), int(state_nursing[i])))

    # One institution closes for renovation and reopens: zero beds while closed.
    reopened: list[str] = []
    candidates = np.flatnonzero(existing & inst["_closed"].isna().to_numpy())
    if len(candidates):
        i = int(rng.choice(candidates))
        inst_id = str(ids[i])
        closed_on = d64(f"{start.year}-06-15") + int(rng.integers(0, 60)) * DAY
        reopened_on = closed_on + int(rng.integers(120, 300)) * DAY
        if reopened_on <= end64:
            rows.append((inst_id, closed_on, 0, 0))
            rows.append((inst_id, reopened_on, int(state_total[i]), int(state_nursing[i])))
            reopened.append(inst_id)
            inst.loc[inst.index[i], "_reopen_touch"] = reopened_on

    beds = pd.DataFrame(
        {
            "institution_id": [r[0] for r in rows],
            "_effective": np.array([r[1] for r in rows], dtype="datetime64[D]"),
            "total_beds": [r[2] for r in rows],
            "nursing_beds": [r[3] for r in rows],
        }
    )
    # Entered a few days after taking effect; a few much later (back-filled).
    lag = np.where(
        rng.random(len(beds)) < 0.05, rng.integers(10, 60, len(beds)), rng.integers(0, 5, len(beds))
    )
    entered = np.minimum(beds["_effective"].to_numpy("datetime64[D]") + lag * DAY, end64)
    beds["_updated"] = office_times(rng, entered)
    beds = beds.sort_values(["_updated", "institution_id"], kind="stable").reset_index(drop=True)
    beds.insert(0, "change_id", np.arange(1, len(beds) + 1))
    beds["effective_date"] = date_text(beds["_effective"].to_numpy())
    beds["updated_at"] = sql_local(beds["_updated"].to_numpy())
    return beds, reopened


def _text_columns(chunk: pd.DataFrame) -> list[list[Any]]:
    """Columns as lists for executemany: ``updated_at`` as local timestamp text, other datetimes
    as dates (pandas keeps day precision as seconds), booleans as 是/否, NaN/NaT as None."""
    out: list[list[Any]] = []
    for name in chunk.columns:
        values = chunk[name].to_numpy()
        if values.dtype.kind == "M" and name == "updated_at":
            col = sql_local(values)
            col[np.isnat(values)] = None
        elif values.dtype.kind == "M":
            col = date_text(values)
        elif values.dtype == bool:
            col = np.where(values, "是", "否").astype(object)
        elif values.dtype.kind in "iu":
            out.append(values.tolist())
            continue
        else:
            col = values.astype(object)
            col[pd.isna(col)] = None
        out.append(col.tolist())
    return out


def _write(
    conn: sqlite3.Connection, table: str, frame: pd.DataFrame, key: str, chunk: int = 250_000
) -> None:
    """Create ``table`` (integers typed, the rest text) and insert it in chunks."""
    types = {c: "INTEGER" if frame[c].dtype.kind in "iu" else "TEXT" for c in frame.columns}
    cols = ", ".join(f'"{c}" {t}' for c, t in types.items())
    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
    conn.execute(f'CREATE TABLE "{table}" ({cols}, PRIMARY KEY ("{key}"))')
    marks = ", ".join("?" for _ in frame.columns)
    for lo in range(0, len(frame), chunk):
        columns = _text_columns(frame.iloc[lo : lo + chunk])
        conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', zip(*columns, strict=True))
    conn.execute(f'CREATE INDEX "ix_{table}_updated" ON "{table}" ("updated_at", "{key}")')


def simulate_elderly_care(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 2024,
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    progress_bar: bool = True,
    shared: Mapping[str, pd.DataFrame] | None = None,
) -> SystemResult:
    """Write ``out_dir/elderly_care.sqlite``; return counts, notable cases and the clean state."""
    rng = np.random.default_rng([seed, 2])
    out_dir.mkdir(parents=True, exist_ok=True)
    steps = progress(range(6), "elderly_care", progress_bar)
    next(steps)
    inst = _institutions(rng, scale, start, end)
    inst["_reopen_touch"] = np.datetime64("NaT", "D")
    next(steps)
    beds, reopened = _bed_history(rng, inst, scale, start, end)
    next(steps)
    # Later areas draw from their own streams so adding one leaves the others unchanged.
    r_fac, r_res, r_staff = (np.random.default_rng([seed, 2, k]) for k in (1, 2, 3))
    fac, events, fac_notable = facilities.community_facilities(r_fac, start, end)
    ratings, lapsed = facilities.institution_ratings(r_fac, inst, end)
    orgs = facilities.service_organizations(r_fac, scale, end)
    next(steps)
    res = residents.residents(r_res, scale, end)
    orders = residents.home_service_orders(r_res, res, orgs, start, end)
    visits = residents.care_visits(r_res, res, start, end)
    smart = residents.smart_trainings(r_res, res, start, end, scale)
    next(steps)
    staff_frame = staff.care_staff(r_staff, inst, end)
    rotation = staff.rotation_trainings(r_staff, staff_frame, start, end)
    for _ in steps:
        pass

    opened = inst["_opened"].to_numpy("datetime64[D]")
    closed = inst["_closed"].to_numpy("datetime64[D]")
    touch = np.where(np.isnat(closed), opened, closed)
    reopen = inst["_reopen_touch"].to_numpy("datetime64[D]")
    touch = np.where(np.isnat(reopen), touch, reopen)
    std = inst["_standardized"].to_numpy("datetime64[D]")
    touch = np.where(np.isnat(std), touch, np.maximum(touch, std))
    inst_updated = office_times(
        rng, np.minimum(touch + rng.integers(0, 3, len(inst)) * DAY, d64(end))
    )
    edited = rng.random(len(inst)) < 0.1  # contact or name edits
    edit_at = inst_updated + rng.integers(1, 200 * 86_400, len(inst)) * SECOND
    end_ts = (d64(end) + DAY).astype("datetime64[s]") - SECOND
    inst_updated = np.where(edited & (edit_at <= end_ts), edit_at, inst_updated)
    inst["opened_date"] = date_text(opened)
    inst["closed_date"] = date_text(closed)
    inst["standardized_date"] = date_text(std)
    inst["updated_at"] = sql_local(inst_updated)
    institutions = inst[INSTITUTION_COLUMNS].copy()
    bed_rows = beds[BED_COLUMNS].copy()

    # Dirt: twin orders (same resident, day, service, provider) and residents in unknown villages.
    d_rng = np.random.default_rng([seed, 2, 9])
    twins = orders.iloc[
        np.sort(d_rng.choice(len(orders), max(1, len(orders) // 500), replace=False))
    ]
    twins = twins.assign(order_id=len(orders) + 1 + np.arange(len(twins), dtype=np.int64))
    twins["_updated"] = twins["_updated"] + d_rng.integers(60, 3600, len(twins)) * SECOND
    order_table = pd.concat([orders, twins], ignore_index=True)
    order_table = pd.DataFrame(
        {
            "order_id": order_table["order_id"],
            "resident_id": order_table["resident_id"],
            "provider_org_id": order_table["provider_org_id"],
            "service_type": order_table["service_type"],
            "service_date": order_table["service_date"].to_numpy("datetime64[D]"),
            "is_government_purchased": order_table["gov"].to_numpy(bool),
            "order_status": order_table["order_status"],
            "amount": order_table["amount"].astype(np.int64),
            "updated_at": order_table["_updated"].to_numpy("datetime64[s]"),
        }
    )
    resident_table = residents.resident_rows(res, r_res, end)
    strays = resident_table.sample(n=max(1, len(res) // 2000), random_state=d_rng).copy()
    strays["resident_id"] = np.char.add(
        "LN", (90_000_001 + np.arange(len(strays))).astype(str)
    ).astype(object)
    strays["village_code"] = strays["village_code"].str[:9] + "998"
    resident_table = pd.concat([resident_table, strays], ignore_index=True)

    tables: dict[str, tuple[pd.DataFrame, str]] = {
        "institutions": (institutions, "institution_id"),
        "bed_capacity_changes": (bed_rows, "change_id"),
        "institution_ratings": (
            pd.DataFrame(
                {
                    "rating_id": ratings["rating_id"],
                    "institution_id": ratings["institution_id"],
                    "grade": ratings["grade"],
                    "rated_date": ratings["rated_date"].to_numpy("datetime64[D]"),
                    "valid_until": ratings["valid_until"].to_numpy("datetime64[D]"),
                    "updated_at": ratings["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "rating_id",
        ),
        "community_facilities": (
            pd.DataFrame(
                {
                    "facility_id": fac["facility_id"],
                    "facility_name": fac["facility_name"],
                    "facility_type": fac["facility_type"],
                    "county_code": fac["county_code"],
                    "town_code": fac["town_code"],
                    "village_code": fac["village_code"],
                    "opened_date": fac["opened"].to_numpy("datetime64[D]"),
                    "status": fac["status"],
                    "updated_at": fac["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "facility_id",
        ),
        "facility_events": (
            pd.DataFrame(
                {
                    "event_id": events["event_id"],
                    "facility_id": events["facility_id"],
                    "event_type": events["event_type"],
                    "event_date": events["event_date"].to_numpy("datetime64[D]"),
                    "upgrade_level": events["upgrade_level"],
                    "updated_at": events["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "event_id",
        ),
        "service_organizations": (
            pd.DataFrame(
                {
                    "org_id": orgs["org_id"],
                    "org_name": orgs["org_name"],
                    "credit_code": orgs["credit_code"],
                    "county_code": orgs["county_code"],
                    "recognition_type": orgs["recognition_type"],
                    "recognized_date": orgs["recognized"].to_numpy("datetime64[D]"),
                    "updated_at": orgs["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "org_id",
        ),
        "older_residents": (resident_table, "resident_id"),
        "home_service_orders": (order_table, "order_id"),
        "care_visits": (
            pd.DataFrame(
                {
                    "visit_id": visits["visit_id"],
                    "resident_id": visits["resident_id"],
                    "visit_date": visits["visit_date"].to_numpy("datetime64[D]"),
                    "visit_method": visits["visit_method"],
                    "visitor_role": visits["visitor_role"],
                    "updated_at": visits["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "visit_id",
        ),
        "smart_tech_trainings": (
            pd.DataFrame(
                {
                    "attendance_id": smart["attendance_id"],
                    "resident_id": smart["resident_id"],
                    "course": smart["course"],
                    "training_date": smart["training_date"].to_numpy("datetime64[D]"),
                    "updated_at": smart["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "attendance_id",
        ),
        "care_staff": (
            pd.DataFrame(
                {
                    "staff_id": staff_frame["staff_id"],
                    "id_number": staff_frame["id_number"],
                    "staff_name": staff_frame["staff_name"],
                    "institution_id": staff_frame["institution_id"],
                    "role": staff_frame["role"],
                    "hired_date": staff_frame["hired"].to_numpy("datetime64[D]"),
                    "left_date": staff_frame["left"].to_numpy("datetime64[D]"),
                    "skill_level": staff_frame["skill_level"],
                    "certified_date": staff_frame["cert_on"].to_numpy("datetime64[D]"),
                    "certificate_valid_until": staff_frame["cert_until"].to_numpy("datetime64[D]"),
                    "updated_at": staff_frame["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "staff_id",
        ),
        "rotation_trainings": (
            pd.DataFrame(
                {
                    "training_id": rotation["training_id"],
                    "staff_id": rotation["staff_id"],
                    "course": rotation["course"],
                    "training_date": rotation["training_date"].to_numpy("datetime64[D]"),
                    "updated_at": rotation["_updated"].to_numpy("datetime64[s]"),
                }
            ),
            "training_id",
        ),
    }

    path = out_dir / DB_NAME
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        for table, (frame, key) in tables.items():
            _write(conn, table, frame, key)
    conn.close()

    state = {name: frame for name, (frame, _) in tables.items()}
    # Clean state for the bookkeeping: without the injected twins and strays.
    state["older_residents"] = resident_table.iloc[: len(res)]
    state["home_service_orders"] = order_table.iloc[: len(orders)]
    return SystemResult(
        counts={table: len(frame) for table, (frame, _) in tables.items()},
        injected={
            "closed_then_reopened": {"count": len(reopened), "keys": reopened},
            "closed": {
                "count": int(inst["closed_date"].notna().sum()),
                "keys": inst.loc[inst["closed_date"].notna(), "institution_id"].tolist(),
            },
            "late_bed_entries": int(
                (
                    beds["_updated"].to_numpy("datetime64[D]")
                    - beds["_effective"].to_numpy("datetime64[D]")
                    >= 10 * DAY
                ).sum()
            ),
            "duplicate_orders": {
                "count": len(twins),
                "keys": twins["order_id"].astype(str).tolist()[:50],
            },
            "residents_in_unknown_villages": {
                "count": len(strays),
                "keys": strays["resident_id"].tolist()[:50],
            },
            "ratings_lapsed_in_plan_year": {"count": len(lapsed), "keys": lapsed},
            "facility_closed_then_reopened": {
                "count": len(fac_notable["closed_then_reopened"]),  # type: ignore[arg-type]
                "keys": fac_notable["closed_then_reopened"],
            },
            "facility_closed": {
                "count": len(fac_notable["closed"]),  # type: ignore[arg-type]
                "keys": fac_notable["closed"],
            },
            "facility_upgraded_twice": fac_notable.get("upgraded_twice", []),
        },
        state=state,
    )

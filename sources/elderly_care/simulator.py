"""Simulated 养老服务信息平台 database: institutions and their bed capacity over time."""

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
from sources.common.regions import COUNTIES, COUNTY_NAMES, towns
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
    write_sqlite_table,
)

DB_NAME = "elderly_care.sqlite"
INSTITUTION_COLUMNS = [
    "institution_id", "institution_name", "institution_type", "county_code", "town_code",
    "credit_code", "opened_date", "closed_date", "updated_at",
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
            np.char.add(np.char.add("泰州市", brand), "养老院"),
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
    steps = progress(range(3), "elderly_care", progress_bar)
    next(steps)
    inst = _institutions(rng, scale, start, end)
    inst["_reopen_touch"] = np.datetime64("NaT", "D")
    next(steps)
    beds, reopened = _bed_history(rng, inst, scale, start, end)
    next(steps)
    for _ in steps:
        pass

    opened = inst["_opened"].to_numpy("datetime64[D]")
    closed = inst["_closed"].to_numpy("datetime64[D]")
    touch = np.where(np.isnat(closed), opened, closed)
    reopen = inst["_reopen_touch"].to_numpy("datetime64[D]")
    touch = np.where(np.isnat(reopen), touch, reopen)
    inst_updated = office_times(
        rng, np.minimum(touch + rng.integers(0, 3, len(inst)) * DAY, d64(end))
    )
    edited = rng.random(len(inst)) < 0.1  # contact or name edits
    edit_at = inst_updated + rng.integers(1, 200 * 86_400, len(inst)) * SECOND
    end_ts = (d64(end) + DAY).astype("datetime64[s]") - SECOND
    inst_updated = np.where(edited & (edit_at <= end_ts), edit_at, inst_updated)
    inst["opened_date"] = date_text(opened)
    inst["closed_date"] = date_text(closed)
    inst["updated_at"] = sql_local(inst_updated)
    institutions = inst[INSTITUTION_COLUMNS].copy()
    bed_rows = beds[BED_COLUMNS].copy()

    path = out_dir / DB_NAME
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    with conn:
        write_sqlite_table(conn, "institutions", institutions, {}, "institution_id")
        write_sqlite_table(
            conn,
            "bed_capacity_changes",
            bed_rows,
            {"change_id": "INTEGER", "total_beds": "INTEGER", "nursing_beds": "INTEGER"},
            "change_id",
        )
    conn.close()
    return SystemResult(
        counts={"institutions": len(institutions), "bed_capacity_changes": len(bed_rows)},
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
        },
        state={"institutions": institutions, "bed_capacity_changes": bed_rows},
    )

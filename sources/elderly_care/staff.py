"""Institution heads and caregivers (with skill certificates) and their rotation training."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import generate_id_numbers
from sources.common.names import random_names
from sources.common.simtools import DAY, d64, office_times, pick, random_dates
from sources.elderly_care.params import EC_PROFILES

SKILL_LEVELS = ("五级/初级工", "四级/中级工", "三级/高级工", "二级/技师")
SKILL_LEVEL_SHARES = (0.5, 0.3, 0.15, 0.05)
CERTIFICATE_DAYS = 5 * 365  # a skill certificate is valid five years


def care_staff(rng: np.random.Generator, inst: pd.DataFrame, end: date) -> pd.DataFrame:
    """One head per institution plus caregivers; hired after opening, leaving at closure."""
    y1 = d64(end)
    n_inst = len(inst)
    per = 1 + rng.integers(3, 30, n_inst)
    rows = np.repeat(np.arange(n_inst), per)
    n = len(rows)
    head = np.r_[True, rows[1:] != rows[:-1]]
    opened = inst["_opened"].to_numpy("datetime64[D]")[rows]
    closed = inst["_closed"].to_numpy("datetime64[D]")[rows]
    county = inst["county_code"].to_numpy(str)[rows]
    hired = np.where(
        rng.random(n) < 0.85,
        random_dates(rng, "2010-01-01", f"{end.year - 2}-12-31", n),
        random_dates(rng, f"{end.year - 1}-01-01", y1, n),
    )
    hired = np.maximum(hired, opened)
    leaves = (rng.random(n) < 0.12) & ~head
    span = np.maximum(((y1 - hired) / DAY).astype(int), 1)
    left = np.where(
        leaves,
        hired + (1 + (rng.random(n) * span).astype(int)) * DAY,
        np.datetime64("NaT", "D"),
    )
    left = np.where(
        np.isnat(closed), left, np.where(np.isnat(left), closed, np.minimum(left, closed))
    )
    left = np.where(left > y1, np.datetime64("NaT", "D"), left)
    cert_rate = pd.Series(county).map({c: p.cert_rate for c, p in EC_PROFILES.items()}).to_numpy()
    certified = (rng.random(n) < cert_rate) & ~head
    cert_lo = np.maximum(hired, d64("2019-01-01"))
    cert_span = np.maximum(((y1 - cert_lo) / DAY).astype(int), 1)
    cert_on = cert_lo + (rng.random(n) * cert_span).astype(int) * DAY
    cert_on = np.where(certified, cert_on, np.datetime64("NaT", "D"))
    male = rng.random(n) < 0.25
    birth = random_dates(rng, "1962-01-01", "2000-12-31", n)
    staff = pd.DataFrame(
        {
            "_inst_row": rows,
            "institution_id": inst["institution_id"].to_numpy(object)[rows],
            "county_code": county,
            "role": np.where(head, "机构负责人", "养老护理员"),
            "hired": hired.astype("datetime64[D]"),
            "left": left.astype("datetime64[D]"),
            "cert_on": cert_on.astype("datetime64[D]"),
            "cert_until": (cert_on + CERTIFICATE_DAYS * DAY).astype("datetime64[D]"),
        }
    )
    staff["skill_level"] = np.where(
        certified, pick(rng, SKILL_LEVELS, n, SKILL_LEVEL_SHARES), np.array(None)
    )
    staff["id_number"] = generate_id_numbers(rng, county, birth, male).astype(object)
    staff["staff_name"] = random_names(rng, male).astype(object)
    staff["staff_id"] = np.char.add("HL", (60_000_001 + np.arange(n)).astype(str)).astype(object)
    touched = np.where(
        np.isnat(staff["left"].to_numpy()), staff["hired"].to_numpy(), staff["left"].to_numpy()
    )
    touched = np.where(
        np.isnat(staff["cert_on"].to_numpy()),
        touched,
        np.maximum(touched, staff["cert_on"].to_numpy()),
    )
    staff["_updated"] = office_times(rng, touched.astype("datetime64[D]"))
    return staff


def rotation_trainings(
    rng: np.random.Generator, staff: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    """Each year a district's share of staff attends rotation training while in post."""
    county = staff["county_code"].to_numpy(str)
    rate = pd.Series(county).map({c: p.rotation_rate for c, p in EC_PROFILES.items()}).to_numpy()
    hired = staff["hired"].to_numpy("datetime64[D]")
    left = staff["left"].to_numpy("datetime64[D]")
    parts = []
    for year in range(start.year, end.year + 1):
        y0, y1 = d64(f"{year}-01-01"), d64(f"{year}-12-31")
        lo = np.maximum(hired, y0)
        hi = np.where(np.isnat(left), y1, np.minimum(left - DAY, y1))
        ok = (lo <= hi) & (rng.random(len(staff)) < rate)
        span = ((hi - lo) / DAY).astype(int) + 1
        when = lo + (rng.random(len(staff)) * np.maximum(span, 1)).astype(int) * DAY
        parts.append(pd.DataFrame({"_row": np.flatnonzero(ok), "training_date": when[ok]}))
    out = pd.concat(parts, ignore_index=True)
    out["staff_id"] = staff["staff_id"].to_numpy(object)[out["_row"].to_numpy()]
    roles = staff["role"].to_numpy(str)[out["_row"].to_numpy()]
    out["course"] = rotation_courses(roles)
    out = out.sort_values(["training_date", "staff_id"], kind="stable").reset_index(drop=True)
    out["training_id"] = 1 + np.arange(len(out), dtype=np.int64)
    out["_updated"] = office_times(
        rng, np.minimum(out["training_date"].to_numpy("datetime64[D]") + 2 * DAY, d64(end))
    )
    return out


def rotation_courses(roles: np.ndarray) -> np.ndarray:
    """The rotation course each role attends."""
    return np.where(roles == "机构负责人", "养老机构负责人轮训", "养老护理员轮训")

"""Simulated 社会组织登记管理 system: a full export of organizations and grades every month end."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from sources.common.identity import SOCIAL_ORG_TYPE_CHAR, generate_credit_codes
from sources.common.names import random_mobiles, random_names
from sources.common.profiles import PROFILES
from sources.common.regions import (
    CITY_CODE,
    COUNTIES,
    code_changes,
    region_name,
    with_retired_codes,
)
from sources.common.simtools import (
    DAY,
    SystemResult,
    d64,
    date_text,
    month_ends,
    pick,
    progress,
    random_dates,
    scaled,
)

from . import activities
from .client import EXPORT_COLUMNS, ORG_SHEET, SHEETS, export_file_name
from .params import CITY, RATES

ORG_FILE = "社会组织名录_{:%Y%m%d}.xlsx"
GRADE_FILE = "社会组织评估等级_{:%Y%m%d}.csv"

ORG_TYPES = ("社会团体", "民办非企业单位", "基金会")
ORG_TYPE_SHARE = (0.40, 0.59, 0.01)
_FIELDS_TEXT = (
    "慈善 老年 青少年 书法 摄影 志愿者 社会工作 文化 体育 科技 教育 环保 企业家 个体劳动者 "
    "残疾人 红十字 法律服务 心理咨询"
)
FIELDS = tuple(_FIELDS_TEXT.split())
SUFFIX = {
    "社会团体": ("协会", "商会", "学会", "研究会", "联合会"),
    "民办非企业单位": ("服务中心", "培训学校", "幼儿园", "社会工作服务社", "养老服务中心"),
    "基金会": ("基金会",),
}
BLANK_CELL = float("nan")
# Score cut-offs are local policy; this table is an assumed scheme.
GRADE_CUTOFFS = ((900, "5A"), (800, "4A"), (700, "3A"), (600, "2A"), (0, "1A"))


def plus_years(days: np.ndarray, years: int) -> np.ndarray:
    """The same calendar days ``years`` later (29 February becomes the 28th)."""
    text = date_text(days).astype(str)
    year = np.char.mod("%d", np.char.ljust(text, 4).astype("<U4").astype(int) + years)
    rest = np.char.replace(np.array([t[4:] for t in text]), "-02-29", "-02-28")
    return np.char.add(year, rest).astype("datetime64[D]")


def _organizations(rng: np.random.Generator, scale: float, start: date, end: date) -> pd.DataFrame:
    n = scaled(5_400, scale, minimum=40)
    start64, end64 = d64(start), d64(end)
    # Registrations grow over the years: a square-root draw skews towards recent dates.
    lo = d64("1995-01-01")
    span = int((end64 - lo) / DAY)
    registered = lo + (np.sqrt(rng.random(n)) * span).astype(np.int64) * DAY
    org_type = pick(rng, ORG_TYPES, n, ORG_TYPE_SHARE).astype(str)
    county_w = [PROFILES[c].population_share for c in COUNTIES]
    authority = np.where(rng.random(n) < 0.15, CITY_CODE, pick(rng, COUNTIES, n, county_w)).astype(
        str
    )
    code_county = with_retired_codes(rng, authority, registered, float(CITY["retired_code_share"]))
    prefixes = np.char.add("5", np.array([SOCIAL_ORG_TYPE_CHAR[t] for t in org_type]))
    codes = generate_credit_codes(rng, prefixes, code_county)
    while len(set(codes.tolist())) < n:  # rare clashes in the random body
        dup = pd.Series(codes).duplicated().to_numpy()
        codes[dup] = generate_credit_codes(rng, prefixes[dup], code_county[dup])

    # Deregistration: ~10% before the window, ~3% a year inside it.
    before = (registered < start64) & (rng.random(n) < 0.10)
    dereg = np.full(n, np.datetime64("NaT", "D"))
    first_possible = np.maximum(registered + 365 * DAY, d64("2000-01-01"))
    dereg[before] = random_dates(rng, "2000-01-01", start64 - DAY, int(before.sum()))
    dereg = np.where(
        before & (dereg < first_possible), np.minimum(first_possible, start64 - DAY), dereg
    )
    years = ((end64 - start64) / DAY + 1) / 365
    during = ~before & (registered < start64) & (rng.random(n) < 0.03 * years)
    dereg[during] = random_dates(rng, start, end, int(during.sum()))
    dereg_kind = np.where(rng.random(n) < 0.7, "注销", "撤销")

    region = np.array([region_name(a) for a in authority])
    field = np.array(FIELDS)[rng.integers(0, len(FIELDS), n)]
    suffix = np.array(
        [
            SUFFIX[t][k % len(SUFFIX[t])]
            for t, k in zip(org_type, rng.integers(0, 5, n), strict=True)
        ]
    )
    names = np.char.add(np.char.add(region, field), suffix)
    seen = pd.Series(names).groupby(names).cumcount().to_numpy()
    names = np.where(
        seen > 0,
        np.char.add(np.char.add(names, "("), np.char.add((seen + 1).astype(str), ")")),
        names,
    )
    charity = (org_type == "基金会") | (rng.random(n) < 0.05)
    male = rng.random(n) < 0.65
    phone = np.where(
        rng.random(n) < 0.5,
        random_mobiles(rng, n),
        np.char.add("0523-8", np.char.zfill(rng.integers(0, 10**7, n).astype(str), 7)),
    )
    frame = pd.DataFrame(
        {
            "统一社会信用代码": codes,
            "社会组织名称": names,
            "社会组织类型": org_type,
            "登记管理机关代码": authority,
            "登记管理机关": np.char.add(region, "民政局"),
            "_registered": registered,
            "_dereg": dereg,
            "_dereg_kind": dereg_kind,
            "是否慈善组织": np.where(charity, "是", "否"),
            "法定代表人": random_names(rng, male),
            "联系电话": phone,
        }
    )
    return frame.sort_values(["_registered", "统一社会信用代码"]).reset_index(drop=True)


def _grades(rng: np.random.Generator, orgs: pd.DataFrame, end: date) -> pd.DataFrame:
    end64 = d64(end)
    n = len(orgs)
    authority = orgs["登记管理机关代码"].to_numpy(str)
    rate = np.array([RATES[a].sp04_graded_rate for a in authority])
    eligible = orgs["_registered"].to_numpy("datetime64[D]") + 730 * DAY
    dereg = orgs["_dereg"].to_numpy("datetime64[D]")
    last_day = np.where(np.isnat(dereg), end64, np.minimum(dereg, end64))

    awards = []
    # The current five-year cycle.
    lo = np.maximum(eligible, d64("2019-07-01"))
    has = (rng.random(n) < rate * 1.08) & (lo <= last_day)
    span = np.maximum((last_day - lo).astype(np.int64), 0)
    current = lo + (rng.random(n) * (span + 1)).astype(np.int64) * DAY
    awards.append((np.flatnonzero(has), current[has]))
    # Earlier cycles that have lapsed.
    old_lo = np.maximum(eligible, d64("2012-01-01"))
    old = (rng.random(n) < 0.3) & (old_lo <= d64("2019-06-30"))
    old_span = np.maximum((d64("2019-06-30") - old_lo).astype(np.int64), 0)
    earlier = old_lo + (rng.random(n) * (old_span + 1)).astype(np.int64) * DAY
    awards.append((np.flatnonzero(old), earlier[old]))
    # Grades from 2019 expire in 2024; about half are renewed around expiry.
    expiring = has & (current < d64("2020-01-01"))
    renew = expiring & (rng.random(n) < 0.5)
    renewed_on = plus_years(current, 5) + rng.integers(-60, 90, n) * DAY
    renew &= renewed_on <= last_day
    awards.append((np.flatnonzero(renew), renewed_on[renew]))

    idx = np.concatenate([a[0] for a in awards])
    on = np.concatenate([a[1] for a in awards]).astype("datetime64[D]")
    score = np.clip(np.round(rng.normal(760, 85, len(idx))), 480, 995).astype(int)
    grade = np.select([score >= c for c, _ in GRADE_CUTOFFS], [g for _, g in GRADE_CUTOFFS], "1A")
    frame = pd.DataFrame(
        {
            "统一社会信用代码": orgs["统一社会信用代码"].to_numpy()[idx],
            "社会组织名称": orgs["社会组织名称"].to_numpy()[idx],
            "评估等级": grade,
            "评估得分": score.astype(str),
            "_awarded": on,
            "_expires": plus_years(on, 5),
        }
    )
    frame = frame.drop_duplicates(["统一社会信用代码", "_awarded"])
    frame["评定日期"] = date_text(frame["_awarded"].to_numpy("datetime64[D]"))
    frame["有效期至"] = date_text(frame["_expires"].to_numpy("datetime64[D]"))
    return frame.sort_values(["_awarded", "统一社会信用代码"]).reset_index(drop=True)


def org_export(orgs: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The organizations export as of a date: everything registered by then, status as of then."""
    day = d64(as_of)
    rows = orgs[orgs["_registered"].to_numpy("datetime64[D]") <= day].copy()
    dereg = rows["_dereg"].to_numpy("datetime64[D]")
    gone = ~np.isnat(dereg) & (dereg <= day)
    rows["登记状态"] = np.where(gone, rows["_dereg_kind"].to_numpy(str), "正常")
    rows["注销撤销日期"] = np.where(gone, date_text(dereg), "")
    rows["成立登记日期"] = date_text(rows["_registered"].to_numpy("datetime64[D]"))
    return rows[EXPORT_COLUMNS["organizations"]]


def grade_export(grades: pd.DataFrame, as_of: date) -> pd.DataFrame:
    return grades[grades["_awarded"].to_numpy("datetime64[D]") <= d64(as_of)][
        EXPORT_COLUMNS["evaluation_grades"]
    ]


def write_xlsx(path: Path, sheet_name: str, frame: pd.DataFrame) -> None:
    """An export workbook: the rows on ``sheet_name``, the header on row 1.

    A blank is written as a value-less cell (openpyxl skips None but writes NaN so), so every
    row spans the header and readers see rows of one width.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([BLANK_CELL if value is None else value for value in row])
    book.save(path)


def write_gbk_csv(path: Path, frame: pd.DataFrame) -> None:
    """An export as the registry writes its csv files: GBK-encoded."""
    frame.to_csv(path, index=False, encoding="gbk", quoting=csv.QUOTE_MINIMAL)


def damage_encoding(path: Path) -> None:
    """Corrupt a GBK export the way a broken transfer does: an invalid byte pair mid-file."""
    data = path.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1
    path.write_bytes(data[:cut] + b"\x81\x7f\xff" + data[cut:])


def simulate_social_org_registry(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 2024,
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    progress_bar: bool = True,
    shared: Mapping[str, pd.DataFrame] | None = None,
    encoding_damage: bool = False,
) -> SystemResult:
    """Write month-end exports into ``out_dir/drop/``; return counts and the clean state.

    ``encoding_damage`` corrupts the bytes of the first 年检 export (a GBK csv), which the client
    then refuses whole (EncodingDamageError): off by default, because a quarantined file fails the
    extract's blocking files_parse check and so blocks publish, as it must in production.
    """
    rng = np.random.default_rng([seed, 3])
    drop = out_dir / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    orgs = _organizations(rng, scale, start, end)
    grades = _grades(rng, orgs, end)
    # The activity records draw from their own stream so the organizations stay as they were.
    arng = np.random.default_rng([seed, 3, 1])
    inspections = activities.annual_inspections(arng, orgs, start, end)
    branches = activities.charity_branches(arng, start, end)
    selections, duplicate_selections = activities.social_worker_selections(arng, start, end)
    selections_served = pd.concat([selections, duplicate_selections], ignore_index=True)
    projects = activities.flagship_projects(arng, start, end)
    brands = activities.community_service_brands(arng, start, end)
    renders = {
        "annual_inspections": lambda d: activities.inspection_export(inspections, d),
        "charity_branches": lambda d: activities.branch_export(branches, d),
        "social_worker_selections": lambda d: activities.selection_export(selections_served, d),
        "flagship_projects": lambda d: activities.flagship_export(projects, d),
        "community_service_brands": lambda d: activities.brand_export(brands, d),
    }
    counts = {"organizations": 0, "evaluation_grades": 0, **{e: 0 for e in renders}}
    files = 0
    damaged: list[str] = []
    for as_of in progress(month_ends(start, end), "social_org_registry exports", progress_bar):
        export = org_export(orgs, as_of)
        write_xlsx(drop / ORG_FILE.format(as_of), ORG_SHEET, export)
        g = grade_export(grades, as_of)
        write_gbk_csv(drop / GRADE_FILE.format(as_of), g)
        counts["organizations"] += len(export)
        counts["evaluation_grades"] += len(g)
        files += 2
        for entity, render in renders.items():
            frame = render(as_of)
            path = drop / export_file_name(entity, as_of)
            if path.suffix == ".xlsx":
                write_xlsx(path, SHEETS[entity], frame)
            else:
                write_gbk_csv(path, frame)
            counts[entity] += len(frame)
            files += 1
    if encoding_damage:
        first = drop / export_file_name("annual_inspections", month_ends(start, end)[0])
        damage_encoding(first)
        damaged.append(first.name)
    hidden = [c for c in selections.columns if c.startswith("_") and c != "_selected"]
    return SystemResult(
        counts=counts,
        injected={
            "files": files,
            "retired_county_prefix": int(
                orgs["统一社会信用代码"].str[2:8].isin([c for c, _, _ in code_changes()]).sum()
            ),
            "organizations_registered": len(orgs),
            "grades_awarded": len(grades),
            "duplicate_social_worker_selections": {
                "count": len(duplicate_selections),
                "keys": duplicate_selections["选拔编号"].tolist(),
            },
            "encoding_damaged_files": {"count": len(damaged), "files": damaged},
        },
        state={
            "organizations": orgs,
            "evaluation_grades": grades,
            "annual_inspections": inspections,
            "charity_branches": branches,
            "social_worker_selections": selections.drop(columns=hidden),
            "flagship_projects": projects,
            "community_service_brands": brands,
        },
    )

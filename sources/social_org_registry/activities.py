"""The registry's social-participation records beside the organizations.

Annual inspections (年检), charity branches (慈善分会), social-worker selections (全科社工 /
金牌社工), 邻里中心·五美驿站 flagship projects and community service brands.

Each generator returns the clean state (one row per record, with hidden ``_`` columns holding the
true dates); ``*_export(state, as_of)`` renders the full export the registry drops at ``as_of``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sources.common.identity import generate_id_numbers
from sources.common.names import random_mobiles, random_names
from sources.common.profiles import PROFILES
from sources.common.regions import COUNTIES, real_villages, region_name, towns
from sources.common.simtools import DAY, d64, date_text, pick, random_dates

from .client import EXPORT_COLUMNS
from .params import CITY, DISTRICT_RATES, RATES

# Plan-level counts per year (not scaled: the bureau runs the same programme at any city size).
FLAGSHIP_PER_YEAR = {int(y): int(n) for y, n in CITY["flagship_projects_per_year"].items()}
GENERAL_WORKERS_PER_YEAR = {
    int(y): int(n) for y, n in CITY["general_social_workers_per_year"].items()
}
GOLD_WORKERS_PER_YEAR = {int(y): int(n) for y, n in CITY["gold_social_workers_per_year"].items()}
REAL_TOWN_TYPES = ("街道", "镇", "乡")
WORK_UNITS = ("社会工作服务站", "社区居委会", "社会工作服务中心", "民政服务站")
FLAGSHIP_KINDS = ("邻里中心", "五美驿站")
FLAGSHIP_KIND_SHARES = (0.4, 0.6)
FLAGSHIP_THEMES = ("睦邻", "助老", "托幼", "文化", "健康", "议事", "志愿")
BRAND_WORDS = ("邻里守望", "幸福家园", "红色管家", "银龄互助", "小小驿站", "和美同心")
NAT = np.datetime64("NaT", "D")


def _masked(mask: np.ndarray, values: object) -> np.ndarray:
    """``values`` where ``mask`` holds, None elsewhere (an object array for text columns)."""
    out = np.array(values, dtype=object)
    out[~np.asarray(mask, dtype=bool)] = None
    return out


def _years(start: date, end: date) -> list[int]:
    return list(range(start.year, end.year + 1))


def _county_pick(rng: np.random.Generator, n: int) -> np.ndarray:
    return pick(rng, COUNTIES, n, [PROFILES[c].population_share for c in COUNTIES]).astype(str)


# --- 年检 --------------------------------------------------------------------------


def annual_inspections(
    rng: np.random.Generator, orgs: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    """One row per organization registered (and not deregistered) at the end of each inspection
    year from ``start.year - 1``; required when registered before that year began."""
    frames = []
    registered = orgs["_registered"].to_numpy("datetime64[D]")
    dereg = orgs["_dereg"].to_numpy("datetime64[D]")
    authority = orgs["登记管理机关代码"].to_numpy(str)
    for year in range(start.year - 1, end.year):
        year_start, year_end = d64(f"{year}-01-01"), d64(f"{year}-12-31")
        listed = (registered <= year_end) & (np.isnat(dereg) | (dereg > year_end))
        idx = np.flatnonzero(listed)
        n = len(idx)
        required = registered[idx] < year_start
        rate = np.array([RATES[a].sp05_submit_rate for a in authority[idx]])
        # Voluntary reports from organizations registered during the year are fewer.
        rate = np.where(required, rate, 0.5)
        submits = rng.random(n) < rate
        early = rng.random(n) < 0.72
        submitted = np.where(
            early,
            random_dates(rng, f"{year + 1}-01-05", f"{year + 1}-05-31", n),
            random_dates(rng, f"{year + 1}-06-01", f"{year + 1}-12-31", n),
        )
        # An organization deregistered before it reported never reports.
        gone_first = ~np.isnat(dereg[idx]) & (dereg[idx] <= submitted)
        submitted = np.where(submits & ~gone_first, submitted, NAT)
        concluded = submitted + rng.integers(10, 45, n) * DAY
        result = pick(rng, ("合格", "基本合格", "不合格"), n, (0.80, 0.15, 0.05)).astype(str)
        frames.append(
            pd.DataFrame(
                {
                    "统一社会信用代码": orgs["统一社会信用代码"].to_numpy()[idx],
                    "社会组织名称": orgs["社会组织名称"].to_numpy()[idx],
                    "登记管理机关代码": authority[idx],
                    "年检年度": str(year),
                    "是否应参检": np.where(required, "是", "否"),
                    "_submitted": submitted,
                    "_concluded": concluded,
                    "_result": result,
                    "_listed_from": d64(f"{year + 1}-01-01"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def inspection_export(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    day = d64(as_of)
    out = rows[rows["_listed_from"].to_numpy("datetime64[D]") <= day].copy()
    submitted = out["_submitted"].to_numpy("datetime64[D]")
    concluded = out["_concluded"].to_numpy("datetime64[D]")
    has_submitted = ~np.isnat(submitted) & (submitted <= day)
    has_result = has_submitted & (concluded <= day)
    out["是否已报送"] = np.where(has_submitted, "是", "否")
    out["报送日期"] = _masked(has_submitted, date_text(submitted))
    out["年检结论"] = _masked(has_result, out["_result"].to_numpy(str))
    out["结论日期"] = _masked(has_result, date_text(concluded))
    return out[EXPORT_COLUMNS["annual_inspections"]]


# --- 慈善分会 -------------------------------------------------------------------


def charity_branches(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    town = towns()
    real = town[town["unit_type"].isin(REAL_TOWN_TYPES)]
    cover = np.array([DISTRICT_RATES[c].sp06_charity_branch_coverage for c in real["county_code"]])
    has = rng.random(len(real)) < cover
    chosen = real[has]
    n = len(chosen)
    early = rng.random(n) < 0.45
    established = np.where(
        early,
        random_dates(rng, "2016-01-01", d64(start) - DAY, n),
        random_dates(rng, start, end, n),
    )
    # A few branches in parks (园区, never counted) and a few second branches in a covered town.
    parks = town[~town["unit_type"].isin(REAL_TOWN_TYPES)].sample(
        n=min(4, int((~town["unit_type"].isin(REAL_TOWN_TYPES)).sum())), random_state=rng
    )
    seconds = chosen.sample(n=min(3, n), random_state=rng)
    extra = pd.concat([parks, seconds], ignore_index=True)
    m = len(extra)
    codes = np.concatenate([chosen["code"].to_numpy(str), extra["code"].to_numpy(str)])
    names = np.concatenate([chosen["name"].to_numpy(str), extra["name"].to_numpy(str)])
    dates = np.concatenate([established, random_dates(rng, "2018-01-01", end, m)])
    total = len(codes)
    # About 3% of branches are dissolved (撤销) inside the window: the town is uncovered after.
    dissolved = np.full(total, NAT)
    gone = rng.random(total) < 0.03
    dissolved[gone] = dates[gone] + rng.integers(120, 700, int(gone.sum())) * DAY
    dissolved = np.where(dissolved > d64(end), NAT, dissolved)
    suffix = np.where(np.arange(total) >= n + len(parks), "慈善分会(二)", "慈善分会")
    frame = pd.DataFrame(
        {
            "分会编号": np.char.add("CF", np.char.zfill((np.arange(total) + 1).astype(str), 6)),
            "分会名称": np.char.add(names, suffix),
            "所在镇街代码": codes,
            "所在镇街名称": names,
            "_established": dates.astype("datetime64[D]"),
            "_dissolved": dissolved.astype("datetime64[D]"),
        }
    )
    return frame.sort_values(["_established", "分会编号"]).reset_index(drop=True)


def branch_export(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    day = d64(as_of)
    out = rows[rows["_established"].to_numpy("datetime64[D]") <= day].copy()
    dissolved = out["_dissolved"].to_numpy("datetime64[D]")
    gone = ~np.isnat(dissolved) & (dissolved <= day)
    out["成立日期"] = date_text(out["_established"].to_numpy("datetime64[D]"))
    out["分会状态"] = np.where(gone, "撤销", "正常")
    out["撤销日期"] = _masked(gone, date_text(dissolved))
    return out[EXPORT_COLUMNS["charity_branches"]]


# --- 全科社工 / 金牌社工 -------------------------------------------------


def social_worker_selections(
    rng: np.random.Generator, start: date, end: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Selections in batches (全科社工 spring and autumn, 金牌社工 in November).

    Returns (clean selections, duplicate rows the registry listed twice under a new number).
    """
    parts = []
    for year in _years(start, end):
        for category, per_year, batches in (
            ("全科社工", GENERAL_WORKERS_PER_YEAR, ((f"{year}-04-01", f"{year}-04-30"),
                                                   (f"{year}-09-01", f"{year}-09-30"))),
            ("金牌社工", GOLD_WORKERS_PER_YEAR, ((f"{year}-11-01", f"{year}-11-30"),)),
        ):  # fmt: skip
            total = per_year.get(year, per_year[max(per_year)])
            county = _county_pick(rng, total)
            batch_no = rng.integers(0, len(batches), total)
            for b, (lo, hi) in enumerate(batches):
                pick_b = batch_no == b
                k = int(pick_b.sum())
                # One selection day per county and batch.
                day_of = {c: random_dates(rng, lo, hi, 1)[0] for c in COUNTIES}
                parts.append(
                    pd.DataFrame(
                        {
                            "_county": county[pick_b],
                            "选拔类别": category,
                            "选拔批次": f"{year}年第{b + 1}批",
                            "_selected": np.array(
                                [day_of[c] for c in county[pick_b]], dtype="datetime64[D]"
                            )
                            if k
                            else np.array([], dtype="datetime64[D]"),
                        }
                    )
                )
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows["_selected"].to_numpy("datetime64[D]") <= d64(end)].reset_index(drop=True)
    n = len(rows)
    male = rng.random(n) < 0.35
    birth = random_dates(rng, "1965-01-01", "1998-12-31", n)
    ids = generate_id_numbers(rng, rows["_county"].to_numpy(str), birth, male)
    while pd.Series(ids).duplicated().any():  # distinct people
        dup = pd.Series(ids).duplicated().to_numpy()
        ids[dup] = generate_id_numbers(
            rng, rows["_county"].to_numpy(str)[dup], birth[dup], male[dup]
        )
    rows["身份证号"] = ids
    rows["姓名"] = random_names(rng, male)
    rows["联系电话"] = random_mobiles(rng, n)
    rows["县级区划代码"] = rows["_county"]
    rows["工作单位"] = np.char.add(
        np.array([region_name(c) for c in rows["_county"]]),
        np.array(WORK_UNITS)[rng.integers(0, len(WORK_UNITS), n)],
    )
    rows = rows.sort_values(["_selected", "身份证号"]).reset_index(drop=True)
    rows["选拔编号"] = np.char.add("SG", np.char.zfill((np.arange(n) + 1).astype(str), 6))
    dup_idx = np.flatnonzero(rng.random(n) < 0.03)
    dups = rows.iloc[dup_idx].copy()
    dups["选拔编号"] = np.char.add(
        "SG", np.char.zfill((900_001 + np.arange(len(dups))).astype(str), 6)
    )
    return rows, dups


def selection_export(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    out = rows[rows["_selected"].to_numpy("datetime64[D]") <= d64(as_of)].copy()
    out["选拔日期"] = date_text(out["_selected"].to_numpy("datetime64[D]"))
    return out.sort_values("选拔编号")[EXPORT_COLUMNS["social_worker_selections"]]


# --- 邻里中心·五美驿站 精品项目 -----------------------------------


def flagship_projects(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    parts = []
    for year in _years(start, end):
        n = FLAGSHIP_PER_YEAR.get(year, FLAGSHIP_PER_YEAR[max(FLAGSHIP_PER_YEAR)])
        approved = random_dates(rng, f"{year}-01-10", f"{year}-06-30", n)
        implemented = approved + rng.integers(30, 200, n) * DAY
        # A few are terminated before implementation; a few slip into the next year.
        stopped = rng.random(n) < 0.06
        implemented = np.where(stopped, NAT, implemented)
        parts.append(
            pd.DataFrame(
                {
                    "_county": _county_pick(rng, n),
                    "_approved": approved,
                    "_implemented": implemented.astype("datetime64[D]"),
                    "_stopped": np.where(stopped, approved + 60 * DAY, NAT).astype("datetime64[D]"),
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.sort_values(["_approved", "_county"]).reset_index(drop=True)
    n = len(rows)
    town = towns()
    town = town[town["unit_type"].isin(REAL_TOWN_TYPES)]
    town_of = {c: g["code"].to_numpy(str) for c, g in town.groupby("county_code")}
    rows["所在镇街代码"] = [town_of[c][rng.integers(0, len(town_of[c]))] for c in rows["_county"]]
    kind = pick(rng, FLAGSHIP_KINDS, n, FLAGSHIP_KIND_SHARES).astype(str)
    themes = np.array(FLAGSHIP_THEMES)
    rows["项目编号"] = np.char.add("WM", np.char.zfill((np.arange(n) + 1).astype(str), 6))
    rows["项目名称"] = np.char.add(
        np.char.add(np.array([region_name(c) for c in rows["_county"]]), kind),
        np.char.add(themes[rng.integers(0, len(themes), n)], "精品项目"),
    )
    rows["项目类型"] = kind
    rows["实施单位"] = np.char.add(
        np.array([region_name(c) for c in rows["_county"]]), "社会工作服务中心"
    )
    rows["县级区划代码"] = rows["_county"]
    return rows


def flagship_export(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    day = d64(as_of)
    out = rows[rows["_approved"].to_numpy("datetime64[D]") <= day].copy()
    implemented = out["_implemented"].to_numpy("datetime64[D]")
    stopped = out["_stopped"].to_numpy("datetime64[D]")
    done = ~np.isnat(implemented) & (implemented <= day)
    ended = ~np.isnat(stopped) & (stopped <= day)
    out["立项日期"] = date_text(out["_approved"].to_numpy("datetime64[D]"))
    out["实施日期"] = _masked(done, date_text(implemented))
    out["项目状态"] = np.where(done, "已实施", np.where(ended, "已终止", "已立项"))
    return out[EXPORT_COLUMNS["flagship_projects"]]


# --- 社区服务品牌 ------------------------------------------------------------


def community_service_brands(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    villages = real_villages()
    urban = villages[villages["unit_type"] == "居委会"]
    cover = np.array([DISTRICT_RATES[c].sp07_service_brand_coverage for c in urban["county_code"]])
    chosen = urban[rng.random(len(urban)) < cover]
    n = len(chosen)
    early = rng.random(n) < 0.5
    registered = np.where(
        early,
        random_dates(rng, "2018-01-01", d64(start) - DAY, n),
        random_dates(rng, start, end, n),
    )
    # Some communities hold two brands; some brands belong to 村委会 (outside the denominator).
    second = chosen.sample(frac=0.08, random_state=rng)
    rural = villages[villages["unit_type"] == "村委会"].sample(n=min(20, n), random_state=rng)
    extra = pd.concat([second, rural], ignore_index=True)
    codes = np.concatenate([chosen["code"].to_numpy(str), extra["code"].to_numpy(str)])
    names = np.concatenate([chosen["name"].to_numpy(str), extra["name"].to_numpy(str)])
    dates = np.concatenate([registered, random_dates(rng, "2019-01-01", end, len(extra))])
    total = len(codes)
    revoked = np.full(total, NAT)
    gone = rng.random(total) < 0.04
    revoked[gone] = dates[gone] + rng.integers(90, 600, int(gone.sum())) * DAY
    revoked = np.where(revoked > d64(end), NAT, revoked)
    words = np.array(BRAND_WORDS)
    frame = pd.DataFrame(
        {
            "品牌编号": np.char.add("PP", np.char.zfill((np.arange(total) + 1).astype(str), 6)),
            "品牌名称": np.char.add(names, words[rng.integers(0, len(words), total)]),
            "社区代码": codes,
            "社区名称": names,
            "_registered": dates.astype("datetime64[D]"),
            "_revoked": revoked.astype("datetime64[D]"),
        }
    )
    return frame.sort_values(["_registered", "品牌编号"]).reset_index(drop=True)


def brand_export(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    day = d64(as_of)
    out = rows[rows["_registered"].to_numpy("datetime64[D]") <= day].copy()
    revoked = out["_revoked"].to_numpy("datetime64[D]")
    gone = ~np.isnat(revoked) & (revoked <= day)
    out["登记日期"] = date_text(out["_registered"].to_numpy("datetime64[D]"))
    out["品牌状态"] = np.where(gone, "撤销", "有效")
    out["撤销日期"] = _masked(gone, date_text(revoked))
    return out[EXPORT_COLUMNS["community_service_brands"]]

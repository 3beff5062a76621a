"""The registry one day on: on a month end, the month's full exports in the drop folder.

The registry shows itself only in its month-end exports, so between two exports there is nothing
to see. When the clock reaches a month end, the days since the last export are lived one by one
from that export's state, each from its own random stream (new registrations, deregistrations,
grades awarded, annual-inspection reports and conclusions, charity branches, social-worker
selections, flagship projects, community brands), and every export is written as of the month
end. However the days were split between advances, the exports come out the same.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sources.common.advancing import (
    ChangeLog,
    daily_chance,
    day_rng,
    month_end,
    next_numbers,
)
from sources.common.identity import (
    SOCIAL_ORG_TYPE_CHAR,
    clashing_ids,
    distinct_id_numbers,
    generate_credit_codes,
    generate_id_numbers,
)
from sources.common.names import random_mobiles, random_names
from sources.common.profiles import PROFILES
from sources.common.regions import CITY_CODE, COUNTIES, real_villages, region_name, towns
from sources.common.simtools import pick, random_dates
from sources.social_org_registry import activities
from sources.social_org_registry.client import (
    EXPORT_COLUMNS,
    SHEETS,
    export_date,
    export_file_name,
    list_exports,
    read_export,
)
from sources.social_org_registry.params import RATES
from sources.social_org_registry.simulator import (
    FIELDS,
    GRADE_CUTOFFS,
    ORG_TYPE_SHARE,
    ORG_TYPES,
    SUFFIX,
    plus_years,
    write_gbk_csv,
    write_xlsx,
)

SYSTEM = 3  # the system's random stream (the full simulation's order)
# Keys of each export (an organization's grades are told apart by the award date).
KEYS: dict[str, list[str]] = {
    "organizations": ["统一社会信用代码"],
    "evaluation_grades": ["统一社会信用代码", "评定日期"],
    "annual_inspections": ["统一社会信用代码", "年检年度"],
    "charity_branches": ["分会编号"],
    "social_worker_selections": ["选拔编号"],
    "flagship_projects": ["项目编号"],
    "community_service_brands": ["品牌编号"],
}
# The full simulation's rates: 3% of organizations deregistered a year, 15% registered by the
# city bureau, 5% charities beside the foundations; evaluated from two years after registration,
# a grade holding five years.
DEREGISTRATION_HAZARD = 0.03
CITY_REGISTERED_SHARE = 0.15
CHARITY_SHARE = 0.05
GRADE_AFTER_DAYS, GRADE_VALID_YEARS = 730, 5
# Annual inspections: reports from 5 January (72% by the end of May), conclusions 10-44 days on.
REPORTS_FROM, EARLY_REPORTS_UNTIL, EARLY_SHARE = (1, 5), (5, 31), 0.72
VOLUNTARY_REPORT_RATE = 0.5
CONCLUDED_AFTER = (10, 44)
CONCLUSIONS = ("合格", "基本合格", "不合格")
CONCLUSION_SHARES = (0.80, 0.15, 0.05)
BRANCH_DISSOLUTION_HAZARD = 0.015
BRAND_REVOCATION_HAZARD = 0.02
# Flagship projects are approved between 10 January and 30 June, implemented after a month or
# more; 6% are stopped two months after approval.
APPROVALS = ((1, 10), (6, 30))
IMPLEMENTED_AFTER_DAYS, IMPLEMENTATION_CHANCE = 30, 1 / 85
STOPPED_AFTER_DAYS, STOPPED_SHARE = 60, 0.06
# Social workers are selected in batches: 全科社工 in April and September, 金牌社工 in November.
# (category, month, batch number in the year, batches of the category a year)
SELECTION_BATCHES = (("全科社工", 4, 0, 2), ("全科社工", 9, 1, 2), ("金牌社工", 11, 0, 1))
# Numbers from here on are the registry's second listings of a person: never continued.
DUPLICATE_SELECTIONS_FROM = 900_001


def advance_day(out_dir: Path, day: date, *, seed: int, scale: float, shared: dict) -> ChangeLog:
    """On a month end, write the month's exports into ``out_dir/drop/``; returns what changed
    against the previous exports (nothing on other days)."""
    log = ChangeLog()
    if day != month_end(day):
        return log
    drop = out_dir / "drop"
    last = list_exports(drop, "organizations")
    if not last:
        raise FileNotFoundError(f"no registry export in {drop} to continue from")
    since = export_date(last[-1])
    if since >= day:
        raise FileExistsError(f"the registry exported as of {since} already: the clock is behind")
    before = {entity: read_export(drop / export_file_name(entity, since), entity)
              for entity in EXPORT_COLUMNS}  # fmt: skip
    state = {entity: frame.copy() for entity, frame in before.items()}
    lived = since + timedelta(days=1)
    while lived <= day:
        _live(state, lived, day_rng(seed, SYSTEM, lived), seed)
        lived += timedelta(days=1)
    for entity, frame in state.items():
        path = drop / export_file_name(entity, day)
        rows = frame[EXPORT_COLUMNS[entity]]
        if entity == "social_worker_selections":
            rows = rows.sort_values("选拔编号", kind="stable")
        if path.suffix == ".xlsx":
            write_xlsx(path, SHEETS[entity], rows)
        else:
            write_gbk_csv(path, rows)
        log.files.append(path.name)
        added, changed = _difference(before[entity], rows, KEYS[entity])
        log.record(entity, added=added, changed=changed, served=len(rows))
    return log


def _difference(old: pd.DataFrame, new: pd.DataFrame, keys: list[str]) -> tuple[int, int]:
    """Rows with keys the old export lacked, and rows whose values moved on."""
    merged = new.merge(old, on=keys, how="left", suffixes=("", "_old"), indicator=True)
    added = int((merged["_merge"] == "left_only").sum())
    both = merged[merged["_merge"] == "both"]
    differs = np.zeros(len(both), dtype=bool)
    for column in (c for c in new.columns if c not in keys):
        a = both[column].astype(object).where(both[column].notna(), None)
        b = both[f"{column}_old"].astype(object).where(both[f"{column}_old"].notna(), None)
        differs |= (a.to_numpy() != b.to_numpy()).astype(bool)
    return added, int(differs.sum())


def _live(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator, seed: int) -> None:
    _organizations(state, day, rng)
    _grades(state, day, rng)
    _inspections(state, day, rng)
    _branches(state, day, rng)
    _selections(state, day, rng, seed)
    _flagship_projects(state, day, rng)
    _brands(state, day, rng)


def _pace(dates: pd.Series, day: date) -> float:
    """Records dated in the year before ``day``: a yearly pace."""
    text = dates.astype(str)
    year_ago = (day - timedelta(days=365)).isoformat()
    return float(((text >= year_ago) & (text < day.isoformat())).sum())


def _append(state: dict[str, pd.DataFrame], entity: str, rows: pd.DataFrame) -> None:
    if len(rows):
        rows = rows[EXPORT_COLUMNS[entity]].astype(object)
        state[entity] = pd.concat([state[entity], rows], ignore_index=True)


# --- organizations and grades -----------------------------------------------------------------


def _organizations(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator) -> None:
    orgs = state["organizations"]
    active = (orgs["登记状态"] == "正常") & (orgs["成立登记日期"] < day.isoformat())
    leaving = active.to_numpy(bool) & (rng.random(len(orgs)) < daily_chance(DEREGISTRATION_HAZARD))
    if leaving.any():
        kind = np.where(rng.random(int(leaving.sum())) < 0.7, "注销", "撤销")
        orgs.loc[leaving, "登记状态"] = kind
        orgs.loc[leaving, "注销撤销日期"] = day.isoformat()

    n = int(rng.poisson(_pace(orgs["成立登记日期"], day) / 365))
    if n == 0:
        return
    org_type = pick(rng, ORG_TYPES, n, ORG_TYPE_SHARE).astype(str)
    shares = [PROFILES[c].population_share for c in COUNTIES]
    authority = np.where(
        rng.random(n) < CITY_REGISTERED_SHARE, CITY_CODE, pick(rng, COUNTIES, n, shares)
    ).astype(str)
    prefixes = np.char.add("5", np.array([SOCIAL_ORG_TYPE_CHAR[t] for t in org_type], dtype=str))
    codes = generate_credit_codes(rng, prefixes, authority)
    taken = set(orgs["统一社会信用代码"])
    while (clash := clashing_ids(codes, taken)).any():
        codes[clash] = generate_credit_codes(rng, prefixes[clash], authority[clash])
    region = np.array([region_name(a) for a in authority], dtype=str)
    field = np.array(FIELDS)[rng.integers(0, len(FIELDS), n)]
    pick_suffix = rng.integers(0, 5, n)
    suffix = [SUFFIX[t][k % len(SUFFIX[t])] for t, k in zip(org_type, pick_suffix, strict=True)]
    names = _distinct_names(
        [f"{r}{f}{s}" for r, f, s in zip(region, field, suffix, strict=True)],
        set(orgs["社会组织名称"]),
    )
    male = rng.random(n) < 0.65
    landline = np.char.add("0523-8", np.char.zfill(rng.integers(0, 10**7, n).astype(str), 7))
    phone = np.where(rng.random(n) < 0.5, random_mobiles(rng, n), landline)
    new = pd.DataFrame(
        {
            "统一社会信用代码": codes,
            "社会组织名称": names,
            "社会组织类型": org_type,
            "登记管理机关代码": authority,
            "登记管理机关": np.char.add(region, "民政局"),
            "成立登记日期": day.isoformat(),
            "登记状态": "正常",
            "注销撤销日期": None,
            "是否慈善组织": np.where(
                (org_type == "基金会") | (rng.random(n) < CHARITY_SHARE), "是", "否"
            ),
            "法定代表人": random_names(rng, male),
            "联系电话": phone,
        }
    )
    _append(state, "organizations", new)


def _distinct_names(names: list[str], taken: set[str]) -> list[str]:
    """Names as the registry keeps them apart: a repeated one gets a running number."""
    out = []
    for name in names:
        candidate, k = name, 1
        while candidate in taken:
            k += 1
            candidate = f"{name}({k})"
        taken.add(candidate)
        out.append(candidate)
    return out


def _grades(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator) -> None:
    grades, orgs = state["evaluation_grades"], state["organizations"]
    n = int(rng.poisson(_pace(grades["评定日期"], day) / 365))
    if n == 0:
        return
    year_ago = (day - timedelta(days=365)).isoformat()
    recent = set(grades.loc[grades["评定日期"] >= year_ago, "统一社会信用代码"])
    eligible = orgs[
        (orgs["登记状态"] == "正常")
        & (orgs["成立登记日期"] <= (day - timedelta(days=GRADE_AFTER_DAYS)).isoformat())
        & ~orgs["统一社会信用代码"].isin(recent)
    ]
    chosen = eligible.iloc[np.sort(rng.choice(len(eligible), min(n, len(eligible)), replace=False))]
    score = np.clip(np.round(rng.normal(760, 85, len(chosen))), 480, 995).astype(int)
    grade = np.select([score >= c for c, _ in GRADE_CUTOFFS], [g for _, g in GRADE_CUTOFFS], "1A")
    awarded = np.full(len(chosen), np.datetime64(day, "D"))
    expires = np.datetime_as_string(plus_years(awarded, GRADE_VALID_YEARS), unit="D")
    new = pd.DataFrame(
        {
            "统一社会信用代码": chosen["统一社会信用代码"].to_numpy(object),
            "社会组织名称": chosen["社会组织名称"].to_numpy(object),
            "评估等级": grade,
            "评估得分": score.astype(str),
            "评定日期": day.isoformat(),
            "有效期至": expires.astype(object),
        }
    )
    _append(state, "evaluation_grades", new)


# --- annual inspections -----------------------------------------------------------------------


def _inspections(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator) -> None:
    """On 1 January the year just ended is listed; reports and conclusions arrive over the year."""
    rows, orgs = state["annual_inspections"], state["organizations"]
    year = str(day.year - 1)
    if (day.month, day.day) == (1, 1) and not (rows["年检年度"] == year).any():
        year_end = f"{year}-12-31"
        listed = orgs[
            (orgs["成立登记日期"] <= year_end)
            & ((orgs["登记状态"] == "正常") | (orgs["注销撤销日期"].fillna("") > year_end))
        ]
        rows = pd.concat(
            [
                rows,
                pd.DataFrame(
                    {
                        "统一社会信用代码": listed["统一社会信用代码"].to_numpy(object),
                        "社会组织名称": listed["社会组织名称"].to_numpy(object),
                        "登记管理机关代码": listed["登记管理机关代码"].to_numpy(object),
                        "年检年度": year,
                        "是否应参检": np.where(
                            listed["成立登记日期"] < f"{year}-01-01", "是", "否"
                        ),
                        "是否已报送": "否",
                        "报送日期": None,
                        "年检结论": None,
                        "结论日期": None,
                    }
                ).astype(object),
            ],
            ignore_index=True,
        )
        state["annual_inspections"] = rows

    # Reports: an even spread over the early and the late period, at the bureau's rate.
    active = set(orgs.loc[orgs["登记状态"] == "正常", "统一社会信用代码"])
    waiting = (
        (rows["年检年度"] == year)
        & (rows["是否已报送"] == "否")
        & rows["统一社会信用代码"].isin(active)
    ).to_numpy(bool)
    rate = np.array(
        [
            RATES[a].sp05_submit_rate if a in RATES else VOLUNTARY_REPORT_RATE
            for a in rows["登记管理机关代码"]
        ]
    )
    rate = np.where(rows["是否应参检"].to_numpy(str) == "是", rate, VOLUNTARY_REPORT_RATE)
    chance = _report_chance(rate, day)
    reporting = waiting & (rng.random(len(rows)) < chance)
    if reporting.any():
        rows.loc[reporting, "是否已报送"] = "是"
        rows.loc[reporting, "报送日期"] = day.isoformat()

    # Conclusions: evenly 10-44 days after the report.
    reported = pd.to_datetime(rows["报送日期"]).to_numpy("datetime64[D]")
    waited = (np.datetime64(day, "D") - reported).astype("timedelta64[D]").astype(np.int64)
    first, last = CONCLUDED_AFTER
    open_reports = (
        (rows["是否已报送"] == "是").to_numpy(bool)
        & rows["年检结论"].isna().to_numpy(bool)
        & ~np.isnat(reported)
        & (waited >= first)
    )
    conclusion_chance = 1.0 / np.maximum(last + 1 - waited, 1)
    concluding = open_reports & (rng.random(len(rows)) < conclusion_chance)
    if concluding.any():
        rows.loc[concluding, "年检结论"] = pick(
            rng, CONCLUSIONS, int(concluding.sum()), CONCLUSION_SHARES
        )
        rows.loc[concluding, "结论日期"] = day.isoformat()


def _report_chance(rate: np.ndarray, day: date) -> np.ndarray:
    """The chance of reporting today for an organization that has not yet reported, given that
    ``rate`` of them report in the year, ``EARLY_SHARE`` of those by the end of May."""
    start = date(day.year, *REPORTS_FROM)
    early_end = date(day.year, *EARLY_REPORTS_UNTIL)
    year_end = date(day.year, 12, 31)
    if day < start:
        return np.zeros(len(rate))
    early_days = (early_end - start).days + 1
    late_days = (year_end - early_end).days
    if day <= early_end:
        today_share = EARLY_SHARE / early_days
        before = EARLY_SHARE * (day - start).days / early_days
    else:
        today_share = (1 - EARLY_SHARE) / late_days
        before = EARLY_SHARE + (1 - EARLY_SHARE) * (day - early_end).days / late_days
        before -= today_share
    return np.clip(rate * today_share / np.maximum(1 - rate * before, 1e-9), 0, 1)


# --- branches, selections, flagship projects, brands ------------------------------------------


def _branches(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator) -> None:
    branches = state["charity_branches"]
    standing = (branches["分会状态"] == "正常") & (branches["成立日期"] < day.isoformat())
    dissolving = standing.to_numpy(bool) & (
        rng.random(len(branches)) < daily_chance(BRANCH_DISSOLUTION_HAZARD)
    )
    if dissolving.any():
        branches.loc[dissolving, "分会状态"] = "撤销"
        branches.loc[dissolving, "撤销日期"] = day.isoformat()

    n = int(rng.poisson(_pace(branches["成立日期"], day) / 365))
    if n == 0:
        return
    covered = set(branches.loc[branches["分会状态"] == "正常", "所在镇街代码"])
    town = towns()
    open_towns = town[
        town["unit_type"].isin(activities.REAL_TOWN_TYPES) & ~town["code"].isin(covered)
    ]
    chosen = open_towns.iloc[
        np.sort(rng.choice(len(open_towns), min(n, len(open_towns)), replace=False))
    ]
    new = pd.DataFrame(
        {
            "分会编号": next_numbers(branches["分会编号"], "CF", len(chosen), width=6),
            "分会名称": (chosen["name"] + "慈善分会").to_numpy(object),
            "所在镇街代码": chosen["code"].to_numpy(object),
            "所在镇街名称": chosen["name"].to_numpy(object),
            "成立日期": day.isoformat(),
            "分会状态": "正常",
            "撤销日期": None,
        }
    )
    _append(state, "charity_branches", new)


def _selections(
    state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator, seed: int
) -> None:
    """On a batch's selection day in a county, its selected social workers are listed."""
    rows = []
    for category, month, batch, batches in SELECTION_BATCHES:
        if day.month != month:
            continue
        days, counts = _batch_plan(seed, day.year, category, month, batches)
        for code, selected_on, k in zip(COUNTIES, days, counts, strict=True):
            if selected_on == day.day and k:
                rows.append((code, category, f"{day.year}年第{batch + 1}批", int(k)))
    if not rows:
        return
    county = np.array([c for c, _, _, k in rows for _ in range(k)], dtype=str)
    n = len(county)
    male = rng.random(n) < 0.35
    birth = random_dates(rng, "1965-01-01", "1998-12-31", n)
    taken = set(state["social_worker_selections"]["身份证号"])
    ids = distinct_id_numbers(rng, generate_id_numbers(rng, county, birth, male), taken)
    selections = state["social_worker_selections"]
    regular = selections["选拔编号"].str[2:].astype(int) < DUPLICATE_SELECTIONS_FROM
    new = pd.DataFrame(
        {
            "选拔编号": next_numbers(selections.loc[regular, "选拔编号"], "SG", n, width=6),
            "身份证号": ids.astype(object),
            "姓名": random_names(rng, male),
            "联系电话": random_mobiles(rng, n),
            "选拔类别": [c for _, c, _, k in rows for _ in range(k)],
            "选拔批次": [b for _, _, b, k in rows for _ in range(k)],
            "选拔日期": day.isoformat(),
            "县级区划代码": county,
            "工作单位": np.char.add(
                np.array([region_name(c) for c in county], dtype=str),
                np.array(activities.WORK_UNITS)[rng.integers(0, len(activities.WORK_UNITS), n)],
            ),
        }
    )
    _append(state, "social_worker_selections", new)


def _batch_plan(
    seed: int, year: int, category: str, month: int, batches: int
) -> tuple[list[int], np.ndarray]:
    """A batch's selection day and number selected per county: fixed for the year, drawn from
    the batch's own stream so any day of the month finds the same plan."""
    rng = np.random.default_rng([seed, 9, SYSTEM, year, month])
    per_year = (
        activities.GENERAL_WORKERS_PER_YEAR
        if category == "全科社工"
        else activities.GOLD_WORKERS_PER_YEAR
    )
    total = per_year.get(year, per_year[max(per_year)])
    share = [PROFILES[c].population_share for c in COUNTIES]
    counts = rng.multinomial(round(total / batches), np.array(share) / sum(share))
    last_day = month_end(date(year, month, 1)).day
    return rng.integers(1, last_day + 1, len(COUNTIES)).tolist(), counts


def _flagship_projects(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator) -> None:
    projects = state["flagship_projects"]
    approved = pd.to_datetime(projects["立项日期"]).to_numpy("datetime64[D]")
    age = (np.datetime64(day, "D") - approved).astype("timedelta64[D]").astype(np.int64)
    pending = (projects["项目状态"] == "已立项").to_numpy(bool)
    stopping = pending & (age == STOPPED_AFTER_DAYS) & (rng.random(len(projects)) < STOPPED_SHARE)
    implementing = (
        pending
        & ~stopping
        & (age >= IMPLEMENTED_AFTER_DAYS)
        & (rng.random(len(projects)) < IMPLEMENTATION_CHANCE)
    )
    if stopping.any():
        projects.loc[stopping, "项目状态"] = "已终止"
    if implementing.any():
        projects.loc[implementing, "项目状态"] = "已实施"
        projects.loc[implementing, "实施日期"] = day.isoformat()

    first, last = (date(day.year, *APPROVALS[0]), date(day.year, *APPROVALS[1]))
    if not first <= day <= last:
        return
    per_year = activities.FLAGSHIP_PER_YEAR.get(
        day.year, activities.FLAGSHIP_PER_YEAR[max(activities.FLAGSHIP_PER_YEAR)]
    )
    n = int(rng.poisson(per_year / ((last - first).days + 1)))
    if n == 0:
        return
    county = pick(rng, COUNTIES, n, [PROFILES[c].population_share for c in COUNTIES]).astype(str)
    town = towns()
    town = town[town["unit_type"].isin(activities.REAL_TOWN_TYPES)]
    town_of = {c: g["code"].to_numpy(str) for c, g in town.groupby("county_code")}
    kind = pick(rng, activities.FLAGSHIP_KINDS, n, activities.FLAGSHIP_KIND_SHARES).astype(str)
    themes = np.array(activities.FLAGSHIP_THEMES)
    region = np.array([region_name(c) for c in county], dtype=str)
    new = pd.DataFrame(
        {
            "项目编号": next_numbers(projects["项目编号"], "WM", n, width=6),
            "项目名称": np.char.add(
                np.char.add(region, kind),
                np.char.add(themes[rng.integers(0, len(themes), n)], "精品项目"),
            ),
            "项目类型": kind,
            "实施单位": np.char.add(region, "社会工作服务中心"),
            "县级区划代码": county,
            "所在镇街代码": [town_of[c][rng.integers(0, len(town_of[c]))] for c in county],
            "立项日期": day.isoformat(),
            "实施日期": None,
            "项目状态": "已立项",
        }
    )
    _append(state, "flagship_projects", new)


def _brands(state: dict[str, pd.DataFrame], day: date, rng: np.random.Generator) -> None:
    brands = state["community_service_brands"]
    valid = (brands["品牌状态"] == "有效") & (brands["登记日期"] < day.isoformat())
    revoking = valid.to_numpy(bool) & (
        rng.random(len(brands)) < daily_chance(BRAND_REVOCATION_HAZARD)
    )
    if revoking.any():
        brands.loc[revoking, "品牌状态"] = "撤销"
        brands.loc[revoking, "撤销日期"] = day.isoformat()

    n = int(rng.poisson(_pace(brands["登记日期"], day) / 365))
    if n == 0:
        return
    covered = set(brands.loc[brands["品牌状态"] == "有效", "社区代码"])
    villages = real_villages()
    open_communities = villages[
        (villages["unit_type"] == "居委会") & ~villages["code"].isin(covered)
    ]
    chosen = open_communities.iloc[
        np.sort(rng.choice(len(open_communities), min(n, len(open_communities)), replace=False))
    ]
    words = np.array(activities.BRAND_WORDS)
    new = pd.DataFrame(
        {
            "品牌编号": next_numbers(brands["品牌编号"], "PP", len(chosen), width=6),
            "品牌名称": (
                chosen["name"].to_numpy(str) + words[rng.integers(0, len(words), len(chosen))]
            ).astype(object),
            "社区代码": chosen["code"].to_numpy(object),
            "社区名称": chosen["name"].to_numpy(object),
            "登记日期": day.isoformat(),
            "品牌状态": "有效",
            "撤销日期": None,
        }
    )
    _append(state, "community_service_brands", new)

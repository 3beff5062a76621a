"""Build the dbt project on hand-made raw batches; check kpi_progress against hand-computed values.

One ``dbt build`` (seeds, models, data tests, unit tests) runs per session in a temporary
MINZHENG_DATA_DIR (the session fixture in conftest.py); the assertions then read the warehouse file read-only.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import re
from collections import Counter
from datetime import date
from typing import Any

import duckdb
import pytest
import yaml
from dbt_runner import DBT_PROJECT, TEST_PII_KEY, Build
from warehouse_raw_fixtures import ID_NUMBERS, PERSON_NAMES, PHONES

from minzheng.warehouse_plugin import register_udfs
from sources.common.regions import SEEDS

# The city and its districts, from the reference seed the warehouse reads.
with (SEEDS / "ref_counties.csv").open(encoding="utf-8") as _seed:
    _REGIONS = list(csv.DictReader(_seed))
CITY = next(r["region_code"] for r in _REGIONS if r["region_level"] == "city")
DISTRICTS = [r["region_code"] for r in _REGIONS if r["region_level"] == "county"]
ID_NUMBER_PATTERN = re.compile(
    r"^[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]$"
)
PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


@pytest.fixture(scope="module")
def progress(build: Build) -> dict[tuple[str, str, str], dict[str, Any]]:
    with duckdb.connect(str(build.warehouse), read_only=True) as conn:
        cursor = conn.execute("select * from kpi.kpi_progress")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {
        (row["kpi_code"], row["period_month"].strftime("%Y-%m"), row["region_code"]): row
        for row in rows
    }


def real_villages_per_county() -> Counter[str]:
    counts: Counter[str] = Counter()
    with (SEEDS / "ref_divisions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "village" and "001" <= row["code"][9:12] <= "399":
                counts[row["code"][:6]] += 1
    return counts


def check(
    progress: dict[tuple[str, str, str], dict[str, Any]],
    kpi: str,
    month: str,
    region: str,
    numerator: int,
    denominator: int | None,
    status: str,
) -> dict[str, Any]:
    row = progress[(kpi, month, region)]
    assert (row["numerator"], row["denominator"]) == (numerator, denominator), (kpi, month, region)
    if denominator is None:
        assert row["actual_value"] == pytest.approx(numerator)
    elif denominator == 0:
        assert row["actual_value"] is None
    else:
        assert row["actual_value"] == pytest.approx(numerator / denominator)
    assert row["status"] == status, (kpi, month, region, row)
    return row


def test_grid_has_every_month_region_and_kpi(progress: dict) -> None:
    # The hand-built KPIs: 6 with city,district scope × 12 months × 7 regions + EC10 (city) × 12,
    # in the plan year (2024) and in its baseline year (2023).
    hand_built = {"SA01", "SA03", "EC10", "EC11", "CH04", "SP04", "SS03"}
    rows = {key: row for key, row in progress.items() if key[0] in hand_built}
    baseline = {key: row for key, row in rows.items() if row["plan_year"] == 2023}
    progress = {key: row for key, row in rows.items() if row["plan_year"] == 2024}
    assert len(progress) == len(baseline) == 6 * 12 * 7 + 12
    assert {row["target_basis"] for row in baseline.values()} == {"baseline"}
    assert all(row["target_value"] is None for row in baseline.values())
    regions_by_kpi: dict[str, set[str]] = {}
    for (kpi, _, region), row in progress.items():
        regions_by_kpi.setdefault(kpi, set()).add(region)
        assert row["data_as_of"] == date(2024, 12, 31)
        assert row["region_level"] == ("city" if region == CITY else "county")
    assert regions_by_kpi.pop("EC10") == {CITY}
    assert set(regions_by_kpi) == {"SA01", "SA03", "EC11", "CH04", "SP04", "SS03"}
    for regions in regions_by_kpi.values():
        assert regions == {CITY, *DISTRICTS}
    assert progress[("SA01", "2024-01", CITY)]["region_name"] == "泰州市"
    assert progress[("SA01", "2024-01", "321281")]["region_name"] == "兴化市"


def test_sa01_emergency_place(progress: dict) -> None:
    check(
        progress, "SA01", "2024-02", CITY, 0, 0, "无数据"
    )  # outside-Taizhou emergency not counted
    row = check(progress, "SA01", "2024-03", CITY, 1, 1, "达标")  # approved on 31 March
    assert row["attainment_ratio"] == pytest.approx(1.0)
    check(progress, "SA01", "2024-03", "321202", 1, 1, "达标")
    check(progress, "SA01", "2024-06", CITY, 1, 2, "滞后")  # corrected to 不予批准: not counted
    check(progress, "SA01", "2024-12", CITY, 1, 2, "滞后")
    check(progress, "SA01", "2024-12", "321202", 1, 1, "达标")
    check(progress, "SA01", "2024-12", "321203", 0, 1, "滞后")
    check(progress, "SA01", "2024-12", "321204", 0, 0, "无数据")  # same-county case excluded


def test_sa03_proactive_discovery_is_monitored(progress: dict) -> None:
    check(progress, "SA03", "2024-01", CITY, 1, 1, "监测")  # 2023 application excluded
    check(progress, "SA03", "2024-03", "321202", 2, 3, "监测")
    row = check(progress, "SA03", "2024-12", CITY, 3, 6, "监测")
    assert row["target_value"] is None and row["attainment_ratio"] is None
    check(progress, "SA03", "2024-12", "321202", 2, 4, "监测")
    check(progress, "SA03", "2024-12", "321204", 1, 1, "监测")
    # A monitored ratio is 监测, or 无数据 where there is nothing to measure (0 of 0).
    for key, row in progress.items():
        if key[0] == "SA03":
            assert row["status"] == ("无数据" if row["denominator"] == 0 else "监测"), (key, row)


def test_ec10_nursing_beds_added(progress: dict) -> None:
    row = check(progress, "EC10", "2024-01", CITY, 100, None, "序时达标")
    assert row["expected_progress"] == pytest.approx(1000 / 12)
    check(progress, "EC10", "2024-03", CITY, 120, None, "滞后")  # change effective on 31 March
    check(progress, "EC10", "2024-05", CITY, 170, None, "滞后")
    check(progress, "EC10", "2024-06", CITY, 210, None, "滞后")  # reopened institution's upgrade
    check(progress, "EC10", "2024-08", CITY, 210, None, "滞后")
    check(progress, "EC10", "2024-09", CITY, 200, None, "滞后")  # closed on 30 September
    row = check(progress, "EC10", "2024-12", CITY, 200, None, "滞后")
    assert row["expected_progress"] == pytest.approx(1000.0)
    assert row["attainment_ratio"] == pytest.approx(0.2)


def test_ec11_nursing_bed_share(progress: dict) -> None:
    check(progress, "EC11", "2024-01", CITY, 180, 320, "滞后")
    check(progress, "EC11", "2024-08", "321204", 10, 40, "滞后")
    check(progress, "EC11", "2024-09", "321204", 0, 0, "无数据")
    check(progress, "EC11", "2024-12", CITY, 280, 330, "达标")
    check(progress, "EC11", "2024-12", "321202", 120, 150, "达标")
    check(progress, "EC11", "2024-12", "321203", 60, 80, "滞后")
    check(progress, "EC11", "2024-12", "321281", 100, 100, "达标")


def test_ch04_village_survey_coverage(progress: dict) -> None:
    villages = real_villages_per_county()
    total = sum(villages[code] for code in DISTRICTS)
    check(progress, "CH04", "2024-03", CITY, 1, total, "滞后")
    check(progress, "CH04", "2024-03", "321202", 1, villages["321202"], "滞后")
    check(progress, "CH04", "2024-03", "321203", 0, villages["321203"], "滞后")
    check(progress, "CH04", "2024-04", "321203", 1, villages["321203"], "滞后")  # corrected month
    check(progress, "CH04", "2024-12", CITY, 0, total, "滞后")


def test_sp04_graded_organizations(progress: dict) -> None:
    row = check(progress, "SP04", "2024-01", CITY, 3, 5, "达标")  # incl. two city-registered
    assert row["attainment_ratio"] == pytest.approx(0.6 / 0.48)
    check(progress, "SP04", "2024-01", "321202", 2, 2, "达标")
    check(progress, "SP04", "2024-06", CITY, 0, 0, "无数据")  # the 15 June export is no month end
    check(progress, "SP04", "2024-12", CITY, 2, 4, "达标")  # deregistered out, 3A expired
    check(progress, "SP04", "2024-12", "321202", 1, 2, "达标")
    check(progress, "SP04", "2024-12", "321203", 0, 0, "无数据")


def test_ss03_96444_coverage(progress: dict) -> None:
    check(progress, "SS03", "2024-02", CITY, 1, 1, "达标")  # corrected to via 96444
    check(progress, "SS03", "2024-03", "321281", 1, 2, "滞后")
    check(progress, "SS03", "2024-05", "321281", 1, 3, "滞后")  # corrected county
    check(progress, "SS03", "2024-05", "321283", 0, 0, "无数据")
    check(progress, "SS03", "2024-12", CITY, 2, 4, "滞后")
    check(progress, "SS03", "2024-12", "321282", 1, 1, "达标")  # 2023 record excluded


def _relations(conn: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    placeholders = ", ".join("?" for _ in schemas)
    return conn.execute(
        "select table_schema, table_name from information_schema.tables"
        f" where table_schema in ({placeholders}) order by 1, 2",
        list(schemas),
    ).fetchall()


def test_no_personal_data_outside_staging(build: Build) -> None:
    planted = {*PERSON_NAMES, *PHONES, *ID_NUMBERS}
    with duckdb.connect(str(build.warehouse), read_only=True) as conn:
        relations = _relations(conn, ("conformed", "marts", "kpi"))
        assert len(relations) >= 17
        for schema, table in relations:
            columns = conn.execute(
                "select column_name from information_schema.columns"
                " where table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchall()
            for (column,) in columns:
                values = conn.execute(
                    f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"'
                    f' where "{column}" is not null'
                ).fetchall()
                for (value,) in values:
                    text = value.strip()
                    where = f"{schema}.{table}.{column} = {value!r}"
                    assert not ID_NUMBER_PATTERN.match(text), where
                    assert not PHONE_PATTERN.match(text), where
                    assert not any(secret in text for secret in planted), where


def test_staging_pseudonymises_with_the_keyed_hmac(build: Build) -> None:
    with duckdb.connect(str(build.warehouse), read_only=True) as conn:
        register_udfs(conn, TEST_PII_KEY.encode())
        rows = dict(
            conn.execute(
                "select case_id, applicant_person_key"
                " from staging.stg_smart_assistance__assistance_cases"
            ).fetchall()
        )
        valid = dict(
            conn.execute(
                "select case_id, is_applicant_id_number_valid"
                " from staging.stg_smart_assistance__assistance_cases"
            ).fetchall()
        )
        for schema, table in _relations(conn, ("staging",)):
            names = {
                name
                for (name,) in conn.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
            }
            assert not any(n[-9:] == "id_number" or "phone" in n for n in names), (table, names)
            assert not {"applicant_name", "deceased_name", "submitted_by_name"} & names
    expected = hmac.new(TEST_PII_KEY.encode(), ID_NUMBERS[0].encode(), hashlib.sha256).hexdigest()
    assert rows["SA0000000001"] == expected  # padded ID trimmed before hashing
    assert len(rows) == 7  # two batches, versions and a re-extracted window deduplicated
    assert valid["SA0000000001"] is True
    assert valid["SA0000000003"] is False  # wrong check digit


def test_key_never_in_compiled_sql_or_logs(build: Build) -> None:
    for folder in (build.target_dir, build.log_dir):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".sql", ".json", ".log", ".txt"}:
                assert TEST_PII_KEY not in path.read_text(errors="ignore"), path


def test_udf_is_null_safe_and_vectorised() -> None:
    with duckdb.connect() as conn:
        register_udfs(conn, b"k")
        register_udfs(conn, b"k")  # idempotent
        values = conn.execute(
            "select minzheng_hmac_sha256(v) from (values ('a'), (null), ('b')) as t(v)"
        ).fetchall()
    assert values[1] == (None,)
    assert values[0][0] == hmac.new(b"k", b"a", hashlib.sha256).hexdigest()


def _person_key(id_number: str) -> str:
    return hmac.new(TEST_PII_KEY.encode(), id_number.encode(), hashlib.sha256).hexdigest()


def test_dim_person_conforms_people_across_sources(build: Build) -> None:
    with duckdb.connect(str(build.warehouse), read_only=True) as conn:
        cursor = conn.execute("select * from conformed.dim_person")
        names = [d[0] for d in cursor.description]
        people = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    assert not {"name", "id_number", "phone"} & set(names)

    retired = people[_person_key(ID_NUMBERS[8])]  # ID issued under 321284 姜堰市
    assert (retired["id_region_code"], retired["registration_county_code"]) == ("321284", "321204")
    assert retired["registration_county_name"] == "姜堰区" and retired["is_registered_in_city"]
    assert (retired["sex"], retired["birth_month"]) == ("男", date(1960, 1, 1))

    outside = people[_person_key(ID_NUMBERS[11])]  # 南京 玄武区
    assert outside["registration_county_code"] == "320102"
    assert not outside["is_registered_in_city"] and outside["registration_county_name"] is None

    both = people[_person_key(ID_NUMBERS[13])]  # a payment recipient and an older resident
    assert both["source_systems"] == "elderly_care,smart_assistance"
    assert both["source_system_count"] == 2
    assert both["is_in_smart_assistance"] and both["is_in_elderly_care"]
    assert (both["sex"], both["birth_month"], both["age_at_data_as_of"]) == (
        "女",
        date(1938, 6, 1),
        86,
    )
    assert (both["first_seen_date"], both["last_seen_date"]) == (
        date(2024, 1, 1),
        date(2024, 12, 10),
    )

    assert people[_person_key(ID_NUMBERS[2])]["is_id_number_valid"] is False  # wrong check digit
    assert people[_person_key(ID_NUMBERS[0])]["is_id_number_valid"] is True


def test_the_plugin_gives_every_build_connection_its_memory_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dbt.adapters.duckdb.plugins import BasePlugin

    monkeypatch.setenv("MINZHENG_PII_KEY", TEST_PII_KEY)
    plugin = BasePlugin.create("minzheng.warehouse_plugin")
    with duckdb.connect() as conn:
        plugin.configure_connection(conn)
        default = conn.execute("select current_setting('memory_limit')").fetchone()
    with duckdb.connect(config={"memory_limit": "50%"}) as conn:
        assert default == conn.execute("select current_setting('memory_limit')").fetchone()
    monkeypatch.setenv("MINZHENG_DUCKDB_MEMORY_LIMIT", "3GiB")
    with duckdb.connect() as conn:
        plugin.configure_connection(conn)
        assert conn.execute("select current_setting('memory_limit')").fetchone() == ("3.0 GiB",)


def test_the_small_cell_rule_states_the_threshold_the_build_applied(build: Build) -> None:
    threshold = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text("utf-8"))["vars"][
        "small_cell_min_children"
    ]
    with duckdb.connect(str(build.warehouse), read_only=True) as conn:
        rules = dict(conn.execute("select status, rule_zh from kpi.kpi_status_rules").fetchall())
    assert set(rules) == {"无数据", "不公开"}
    assert f"少于{threshold}人" in rules["不公开"] and "全市合计" in rules["不公开"]
    assert "分母为0" in rules["无数据"]

"""The SA and CH entities of the smart-assistance simulator: shape, magnitudes, dirt, paging."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sources.bookkeeping.social_assistance import two_subsidy_precision
from sources.common.identity import is_valid_id_number
from sources.common.regions import COUNTIES, towns
from sources.common.simtools import SystemResult
from sources.smart_assistance.client import SmartAssistanceClient
from sources.smart_assistance.params import SA_PROFILES, SUBSIDY_TYPES
from sources.smart_assistance.server import ENTITY_KEYS, serve_store
from sources.smart_assistance.simulator import ENTITY_TABLES, simulate_smart_assistance

from .conftest import SCALE

TOKEN = "test-token"
UNTIL = "2024-12-31T23:59:59+08:00"
NEW_ENTITIES = list(ENTITY_TABLES)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> SystemResult:
    out = tmp_path_factory.mktemp("sa")
    return simulate_smart_assistance(out, scale=0.02, seed=5, progress_bar=False)


def _table(store: Path, table: str) -> pd.DataFrame:
    with sqlite3.connect(store) as conn:
        return pd.read_sql_query(f'SELECT * FROM "{table}"', conn)


def test_every_entity_is_served_with_its_documented_columns(store_path: Path) -> None:
    assert set(NEW_ENTITIES) <= set(ENTITY_KEYS)
    for entity, (key, columns) in ENTITY_TABLES.items():
        frame = _table(store_path, entity)
        assert list(frame.columns) == columns, entity
        assert len(frame) > 0 and frame[key].is_unique, entity
        assert ENTITY_KEYS[entity] == key
        assert frame["updated_at"].str.endswith("+08:00").all()
        assert (frame["updated_at"] >= frame["created_at"]).all(), entity
        assert (frame["updated_at"] <= UNTIL).all(), entity


@pytest.mark.parametrize("entity", NEW_ENTITIES)
def test_pages_of_each_entity_cover_the_store_in_order(store_path: Path, entity: str) -> None:
    key = ENTITY_KEYS[entity]
    since = "2024-07-01T00:00:00+08:00"
    with sqlite3.connect(store_path) as conn:
        expected = [
            r[0]
            for r in conn.execute(
                f'SELECT "{key}" FROM "{entity}" WHERE updated_at > ? AND updated_at <= ? '
                f'ORDER BY updated_at, "{key}"',
                [since, UNTIL],
            )
        ]
    assert expected, entity
    with (
        serve_store(store_path, TOKEN) as url,
        SmartAssistanceClient(url, TOKEN, page_size=211, backoff_base=0.01) as client,
    ):
        pages = list(client.fetch_window(entity, since, UNTIL))
    assert len(pages) == -(-len(expected) // 211)
    assert [row[key] for page in pages for row in page] == expected
    assert all(isinstance(v, str | None) for page in pages for row in page for v in row.values())


def test_magnitudes_follow_the_domain(simulated: dict[str, Any], store_path: Path) -> None:
    payments = _table(store_path, "subsidy_payments")
    assert set(payments["subsidy_type"]) == set(SUBSIDY_TYPES)
    year = payments[payments["payment_month"].str.startswith("2024")]
    # 1.5-2 million payments a year at scale 1.0.
    assert 1_400_000 * SCALE < len(year) < 2_000_000 * SCALE
    per_month = year.groupby(["subsidy_type", "payment_month"]).size().groupby(level=0).mean()
    assert per_month["困难残疾人生活补贴"] == pytest.approx(33_000 * SCALE, rel=0.2)
    assert per_month["重度残疾人护理补贴"] == pytest.approx(45_000 * SCALE, rel=0.2)
    kids = _table(store_path, "children_in_difficulty")
    sizes = kids.groupby("child_category").size()
    assert 300 * SCALE * 0.6 <= sizes["孤儿"] <= 500 * SCALE * 1.4
    assert 800 * SCALE * 0.8 <= sizes["事实无人抚养儿童"] <= 1_200 * SCALE * 1.2
    stations = _table(store_path, "protection_stations")
    real_towns = towns()["unit_type"].isin(("街道", "镇", "乡")).sum()
    assert len(stations) == real_towns + len(COUNTIES)
    workers = _table(store_path, "child_workers")
    assert set(workers["worker_role"]) == {"儿童督导员", "儿童主任"}
    assert simulated["counts"]["smart_assistance"]["subsidy_payments"] == len(payments)


def test_ids_are_valid_and_unique(result: SystemResult) -> None:
    for entity in ("persons", "children_in_difficulty"):
        ids = result.state[entity]["id_number"]
        assert ids.is_unique, entity
        assert ids.map(is_valid_id_number).all(), entity
    both = pd.concat(
        [result.state["persons"]["id_number"], result.state["children_in_difficulty"]["id_number"]]
    )
    assert both.is_unique


def test_injected_dirt_is_what_sa02_catches(result: SystemResult) -> None:
    deaths = result.state["recipient_deaths"].assign(registration_date=lambda f: f["death_date"])
    precision = two_subsidy_precision(
        result.state["subsidy_payments"], result.state["persons"], deaths
    )
    injected = result.injected["sa02_payments"]
    caught = int((~precision["is_precise"]).sum())
    assert caught == sum(v["count"] for v in injected.values())
    assert injected["paid_after_death"]["count"] > 0
    assert injected["duplicate_payment"]["count"] > 0


def test_recipient_deaths_for_the_civil_registry(result: SystemResult) -> None:
    deaths = result.state["recipient_deaths"]
    assert list(deaths.columns) == [
        "deceased_id_number", "deceased_name", "sex", "birth_date", "death_date",
        "registration_county_code",
    ]  # fmt: skip
    assert len(deaths) > 0
    assert deaths["death_date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    assert deaths["death_date"].between("2023-01-01", "2024-12-31").all()
    assert set(deaths["sex"]) <= {"男", "女"}
    assert set(deaths["registration_county_code"]) <= set(COUNTIES)
    assert set(deaths["deceased_id_number"]) <= set(result.state["persons"]["id_number"])


def test_stations_upgraded_per_the_county_plan(result: SystemResult) -> None:
    stations = result.state["protection_stations"]
    upgraded = stations[stations["provincial_demo_date"].fillna("").str.startswith("2024")]
    got = upgraded.groupby("county_code").size()
    for code, profile in SA_PROFILES.items():
        assert got.get(code, 0) == profile.ch01_upgrades_plan_year
    assert (upgraded["station_level"] == "省级示范站").all()


def test_districts_land_above_and_below_target(simulated: dict[str, Any]) -> None:
    truth = pd.read_csv(simulated["truth"], dtype={"region_code": str})
    december = truth[(truth["period_month"] == "2024-12-01") & truth["region_code"].isin(COUNTIES)]
    for kpi in ("SA02", "CH02"):
        values = december.loc[december["kpi_code"] == kpi, "actual_value"]
        assert (values == 1.0).any() and (values < 1.0).any(), kpi
    for kpi in ("SA04", "SA05", "SA06", "CH01", "CH03", "CH05"):
        assert kpi in set(truth["kpi_code"])


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    def tables(out: Path, seed: int) -> dict[str, pd.DataFrame]:
        simulate_smart_assistance(out, scale=0.003, seed=seed, progress_bar=False)
        return {e: _table(out / "store.sqlite", e) for e in NEW_ENTITIES}

    a, b, c = tables(tmp_path / "a", 3), tables(tmp_path / "b", 3), tables(tmp_path / "c", 4)
    for entity in NEW_ENTITIES:
        pd.testing.assert_frame_equal(a[entity], b[entity])
    assert not a["subsidy_payments"].equals(c["subsidy_payments"])


def test_keyset_paging_matches_offset_paging(store_path: Path) -> None:
    from sources.smart_assistance import server

    args = (store_path, "subsidy_payments", "2024-03-01T00:00:00+08:00", UNTIL)
    server._CURSORS.clear()
    by_offset = server.query_page(*args, 3, 50)["data"]
    server.query_page(*args, 2, 50)  # remembers where page 2 ended
    by_keyset = server.query_page(*args, 3, 50)["data"]
    assert len(by_offset) == 50 and by_keyset == by_offset

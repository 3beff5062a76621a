"""The elderly-care simulator: its tables, the dirt it injects, and its truth."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sources.common.identity import is_valid_id_number
from sources.common.regions import real_villages
from sources.elderly_care.client import TABLE_KEYS
from sources.elderly_care.simulator import simulate_elderly_care


def _db(simulated: dict[str, Any]) -> Path:
    return simulated["dir"] / "elderly_care" / "elderly_care.sqlite"


def _read(simulated: dict[str, Any], sql: str) -> pd.DataFrame:
    with sqlite3.connect(_db(simulated)) as conn:
        return pd.read_sql_query(sql, conn)


def test_every_table_has_its_key_and_updated_at(simulated: dict[str, Any]) -> None:
    counts = simulated["counts"]["elderly_care"]
    assert set(counts) == set(TABLE_KEYS)
    for table, key in TABLE_KEYS.items():
        frame = _read(simulated, f'SELECT "{key}", updated_at FROM "{table}"')
        assert len(frame) == counts[table] > 0, table
        assert frame[key].is_unique, table
        assert frame["updated_at"].str.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").all()


def test_residents_are_60_plus_with_valid_ids_and_dirt_is_recorded(
    simulated: dict[str, Any],
) -> None:
    res = _read(
        simulated, "SELECT resident_id, id_number, birth_date, village_code FROM older_residents"
    )
    assert (res["birth_date"] <= "1964-12-31").all()
    assert res["id_number"].map(is_valid_id_number).all()
    known = set(real_villages()["code"])
    strays = set(res.loc[~res["village_code"].isin(known), "resident_id"])
    injected = simulated["injected"]["elderly_care"]
    assert len(strays) == injected["residents_in_unknown_villages"]["count"] > 0
    assert set(injected["residents_in_unknown_villages"]["keys"]) <= strays


def test_twin_orders_repeat_an_earlier_order(simulated: dict[str, Any]) -> None:
    orders = _read(simulated, "SELECT * FROM home_service_orders ORDER BY order_id")
    key = [
        "resident_id",
        "service_date",
        "service_type",
        "provider_org_id",
        "is_government_purchased",
    ]
    twins = orders[orders.duplicated(key, keep="first")]
    assert len(twins) == simulated["injected"]["elderly_care"]["duplicate_orders"]["count"] > 0


def test_facility_dirt_is_in_the_events(simulated: dict[str, Any]) -> None:
    injected = simulated["injected"]["elderly_care"]
    events = _read(simulated, "SELECT facility_id, event_type FROM facility_events")
    reopened = injected["facility_closed_then_reopened"]["keys"][0]
    kinds = set(events.loc[events["facility_id"] == reopened, "event_type"])
    assert {"开业", "停业", "恢复运营"} <= kinds
    twice = injected["facility_upgraded_twice"][0]
    ups = events[(events["facility_id"] == twice) & (events["event_type"] == "升级改造")]
    assert len(ups) == 2


def test_truth_has_every_ec_kpi_for_every_month_and_region(simulated: dict[str, Any]) -> None:
    truth = pd.read_csv(simulated["truth"], dtype={"region_code": str})
    ec = truth[truth["kpi_code"].str.startswith("EC")]
    assert set(ec["kpi_code"]) == {f"EC{i:02d}" for i in range(1, 17)}
    assert (ec.groupby("kpi_code").size() == 12 * 7).all()
    december = ec[(ec["period_month"] == "2024-12-01") & (ec["region_code"] == "321200")]
    values = dict(zip(december["kpi_code"], december["actual_value"], strict=True))
    assert 0.1 < values["EC06"] < 0.25
    assert 0.8 < values["EC15"] <= 1.0


@pytest.mark.parametrize("seed", [11])
def test_deterministic_for_a_seed(tmp_path: Path, seed: int) -> None:
    def run(where: Path) -> dict[str, int]:
        result = simulate_elderly_care(
            where, scale=0.005, seed=seed, end=date(2024, 12, 31), progress_bar=False
        )
        return result.counts

    assert run(tmp_path / "a") == run(tmp_path / "b")
    with (
        sqlite3.connect(tmp_path / "a" / "elderly_care.sqlite") as a,
        sqlite3.connect(tmp_path / "b" / "elderly_care.sqlite") as b,
    ):
        query = "SELECT * FROM home_service_orders ORDER BY order_id"
        pd.testing.assert_frame_equal(pd.read_sql_query(query, a), pd.read_sql_query(query, b))

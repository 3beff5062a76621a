"""The civil registry's other daily feeds, and deaths shared by the assistance simulator."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sources.civil_registry.client import (
    ENTITY_COLUMNS,
    file_date,
    list_inbox_files,
    read_daily_file,
)
from sources.civil_registry.simulator import simulate_civil_registry

FEEDS = ["marriages", "ashes_facility_projects", "funeral_home_renovation", "rescue_station_stays"]


def _feed(simulated: dict[str, Any], entity: str) -> pd.DataFrame:
    inbox = simulated["dir"] / "civil_registry" / "inbox"
    frames = [
        read_daily_file(p, entity).assign(_day=file_date(p))
        for p in list_inbox_files(inbox, entity)
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("entity", FEEDS)
def test_feeds_parse_and_reconcile(simulated: dict[str, Any], entity: str) -> None:
    rows = _feed(simulated, entity)
    assert list(rows.columns[:-1]) == ENTITY_COLUMNS[entity]
    assert len(rows) == simulated["counts"]["civil_registry"][entity]
    assert rows["record_version"].str.fullmatch(r"[1-9]\d*").all()


def test_marriages_daily_with_cross_province_since_june_2023(simulated: dict[str, Any]) -> None:
    inbox = simulated["dir"] / "civil_registry" / "inbox"
    assert len(list_inbox_files(inbox, "marriages")) == 731
    rows = _feed(simulated, "marriages")
    assert set(rows["registration_type"]) == {"结婚", "离婚"}
    cross = rows[rows["is_cross_province"] == "是"]
    assert len(cross) > 0
    assert (cross["registration_date"] >= "2023-06-01").all()
    assert cross["other_province_code"].notna().all()
    # Late files: a record may come after the day it was registered, never before.
    assert (rows["registration_date"] <= rows["_day"].astype(str)).all()


def test_marriage_dirt_is_recorded(simulated: dict[str, Any]) -> None:
    injected = simulated["injected"]["civil_registry"]
    rows = _feed(simulated, "marriages")
    dup_keys = injected["duplicated_marriage_rows"]["keys"]
    counted = rows[rows["record_version"] == "1"]["registration_id"].value_counts()
    assert all(counted[k] >= 2 for k in dup_keys)
    for key in injected["corrected_marriages"]["keys"]:
        assert "2" in set(rows.loc[rows["registration_id"] == key, "record_version"])


def test_renovation_completes_in_september_2024(simulated: dict[str, Any]) -> None:
    rows = _feed(simulated, "funeral_home_renovation")
    final = rows[(rows["milestone"] == "竣工验收") & (rows["record_version"] == "2")]
    assert list(final["completed_date"]) == ["2024-09-26"]


def test_rescue_stay_versions_only_add_facts(simulated: dict[str, Any]) -> None:
    rows = _feed(simulated, "rescue_station_stays").sort_values(["stay_id", "_day"])
    for _, group in rows.groupby("stay_id"):
        versions = group["record_version"].astype(int).tolist()
        assert versions == list(range(1, len(versions) + 1))
        assert group["admitted_date"].nunique() == 1
    known = rows[rows["person_id_number"].notna()]
    assert known["identity_established_date"].notna().all()


def _recipient_deaths() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deceased_id_number": ["321202194001011234", "321281195002022345"],
            "deceased_name": ["张三", "李四"],
            "sex": ["男", "女"],
            "birth_date": ["1940-01-01", "1950-02-02"],
            "death_date": ["2024-03-03", "2024-12-30"],
            "registration_county_code": ["321202", "321281"],
        }
    )


def test_shared_recipient_deaths_are_registered(tmp_path: Path) -> None:
    kwargs: dict[str, Any] = {
        "scale": 0.002,
        "start": date(2024, 1, 1),
        "end": date(2024, 12, 31),
        "progress_bar": False,
    }
    alone = simulate_civil_registry(tmp_path / "alone", **kwargs)
    shared = simulate_civil_registry(
        tmp_path / "shared", shared={"recipient_deaths": _recipient_deaths()}, **kwargs
    )
    assert alone.injected["recipient_deaths_registered"]["count"] == 0
    keys = shared.injected["recipient_deaths_registered"]["keys"]
    state = shared.state["deaths"]
    registered = state[state["death_record_id"].isin(keys)]
    # The one dying on 30 December is registered after the window closes, or on the 31st.
    assert 1 <= len(registered) <= 2
    first = registered[registered["deceased_id_number"] == "321202194001011234"].iloc[0]
    assert "2024-03-04" <= first["registration_date"] <= "2024-03-09"
    assert first["registration_county_code"] == "321202"
    # Everything else is exactly as without the shared deaths.
    others = state[~state["death_record_id"].isin(keys)].reset_index(drop=True)
    pd.testing.assert_frame_equal(others, alone.state["deaths"])
    files = pd.concat(
        read_daily_file(p, "deaths")
        for p in list_inbox_files(tmp_path / "shared" / "inbox", "deaths")
    )
    assert set(keys) <= set(files["death_record_id"])

"""Held batches: moved out of the raw zone's entity folder, never landed again, released by a
correction; their blast radius read from the dbt manifest; publish keeps what they hold back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from minzheng import holds
from minzheng.publish import publish, rollback
from minzheng.raw_zone import RawZone

STAYS = pd.DataFrame({"stay_id": ["S1", "S2"], "record_version": ["1", "1"]}, dtype=object)


def _manifest() -> dict[str, object]:
    """A dbt manifest in miniature: stays -> stg -> fct -> SS05; deaths -> stg -> SA02; both
    measures -> kpi_progress."""
    models = {
        "model.m.stg_stays": ("staging", "stg_stays"),
        "model.m.fct_stays": ("marts", "fct_stays"),
        "model.m.kpi_measure__ss05": ("kpi", "kpi_measure__ss05"),
        "model.m.stg_deaths": ("staging", "stg_deaths"),
        "model.m.kpi_measure__sa02": ("kpi", "kpi_measure__sa02"),
        "model.m.kpi_progress": ("kpi", "kpi_progress"),
    }
    return {
        "sources": {
            "source.m.civil_registry.rescue_station_stays": {
                "source_name": "civil_registry",
                "name": "rescue_station_stays",
            },
            "source.m.civil_registry.deaths": {"source_name": "civil_registry", "name": "deaths"},
        },
        "nodes": {
            unique_id: {"schema": schema, "name": name, "alias": name}
            for unique_id, (schema, name) in models.items()
        },
        "child_map": {
            "source.m.civil_registry.rescue_station_stays": ["model.m.stg_stays"],
            "model.m.stg_stays": ["model.m.fct_stays", "test.m.unique_stay"],
            "model.m.fct_stays": ["model.m.kpi_measure__ss05"],
            "model.m.kpi_measure__ss05": ["model.m.kpi_progress"],
            "source.m.civil_registry.deaths": ["model.m.stg_deaths"],
            "model.m.stg_deaths": ["model.m.kpi_measure__sa02"],
            "model.m.kpi_measure__sa02": ["model.m.kpi_progress"],
            "model.m.kpi_progress": [],
        },
    }


def test_a_held_batch_leaves_the_entity_folder_and_is_not_landed_again(tmp_path: Path) -> None:
    zone = RawZone(tmp_path / "raw")
    manifest = zone.land(
        "civil_registry", "rescue_station_stays", STAYS, batch_label="d1", source_file="s_1.csv"
    )
    assert manifest is not None
    hold = holds.hold_batch(zone, manifest, ["expect_column_values_to_be_in_set on x (2 rows)"])
    assert zone.manifests("civil_registry", "rescue_station_stays") == []
    assert holds.holds(zone) == [hold]
    assert holds.held_manifests(zone, "civil_registry", "rescue_station_stays") == [manifest]
    # The same file again (the bad one, still in the inbox) is not landed a second time.
    again = zone.land(
        "civil_registry", "rescue_station_stays", STAYS, batch_label="d1", source_file="s_1.csv"
    )
    assert again is None
    assert hold.reason() == (
        "civil_registry.rescue_station_stays s_1.csv: "
        "expect_column_values_to_be_in_set on x (2 rows)"
    )

    # A corrected file of the same name is another batch: it lands, and replaces the hold.
    corrected = zone.land(
        "civil_registry",
        "rescue_station_stays",
        STAYS.assign(record_version="2"),
        batch_label="d1",
        source_file="s_1.csv",
    )
    assert corrected is not None
    assert holds.replaced(hold, zone.manifests("civil_registry", "rescue_station_stays"))
    released = holds.release(zone, hold)
    assert released.released_at is not None
    assert holds.holds(zone) == []
    assert holds.holds(zone, active_only=False) == [released]


def _stays_hold(batch_id: str, rules: list[str]) -> holds.Hold:
    """A held batch of two rescue-station stays (file s_<n>.csv for batch b<n>)."""
    return holds.Hold(
        source="civil_registry",
        entity="rescue_station_stays",
        batch_id=batch_id,
        source_file=f"s_{batch_id[1:]}.csv",
        row_count=2,
        rules=rules,
        held_since="2025-01-02T01:30:00+00:00",
    )


def test_the_blast_radius_follows_the_dbt_graph(tmp_path: Path) -> None:
    hold = _stays_hold("b1", rules=["r"])
    radius = holds.blast_radius(_manifest(), [hold])
    assert set(radius.relations) == {
        "staging.stg_stays",
        "marts.fct_stays",
        "kpi.kpi_measure__ss05",
        "kpi.kpi_progress",
    }
    assert radius.kpis == {"SS05": [hold]}
    assert holds.blast_radius(_manifest(), []).is_empty


def _kpi_progress(connection: duckdb.DuckDBPyConnection, values: dict[str, int]) -> None:
    connection.execute("create schema if not exists kpi")
    connection.execute("create schema if not exists marts")
    connection.execute(
        "create or replace table kpi.kpi_progress as "
        "select kpi_code, date '2024-12-01' as period_month, '321200' as region_code, "
        "numerator, date '2024-12-31' + numerator as data_as_of, "
        "'current' as figures_status, cast(null as timestamp) as held_since, "
        "cast(null as varchar) as held_reason "
        "from (select unnest(?) as kpi_code, unnest(?) as numerator)",
        [list(values), list(values.values())],
    )


def _build(path: Path, ss05: int, sa02: int) -> None:
    with duckdb.connect(str(path)) as connection:
        _kpi_progress(connection, {"SS05": ss05, "SA02": sa02})
        connection.execute(f"create or replace table marts.fct_stays as select {ss05} as n")
        connection.execute(f"create or replace table marts.fct_deaths as select {sa02} as n")


def _read(path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_publish_keeps_what_a_hold_holds_back_and_publishes_the_rest(tmp_path: Path) -> None:
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving" / "minzheng.duckdb"
    _build(warehouse, ss05=1, sa02=1)
    publish(warehouse, serving, run_id="r1")
    hold = _stays_hold(
        "b2", rules=["expect_column_values_to_be_in_set on station_county_code (2 rows)"]
    )
    radius = holds.blast_radius(_manifest(), [hold])
    # The night: both entities moved on in the build, the stays are held.
    _build(warehouse, ss05=2, sa02=2)
    result = publish(warehouse, serving, radius, run_id="r2")
    assert result.held_kpis == ("SS05",)
    assert set(result.held_relations) == {"marts.fct_stays", "kpi.kpi_progress"}
    assert _read(serving, "select n from marts.fct_stays") == [(1,)]
    assert _read(serving, "select n from marts.fct_deaths") == [(2,)]
    progress = _read(
        serving,
        "select kpi_code, numerator, data_as_of, figures_status, held_since, held_reason "
        "from kpi.kpi_progress order by kpi_code",
    )
    since = datetime(2025, 1, 2, 1, 30)
    reason = (
        "civil_registry.rescue_station_stays s_2.csv: "
        "expect_column_values_to_be_in_set on station_county_code (2 rows)"
    )
    assert [row[:4] for row in progress] == [
        ("SA02", 2, datetime(2025, 1, 2).date(), "current"),
        ("SS05", 1, datetime(2025, 1, 1).date(), "held"),
    ]
    assert progress[0][4:] == (None, None)
    assert progress[1][4:] == (since, reason)

    # A second held night keeps the first held_since and the first figures.
    _build(warehouse, ss05=3, sa02=3)
    later = holds.Hold(**{**hold.__dict__, "held_since": datetime.now(UTC).isoformat()})
    publish(warehouse, serving, holds.blast_radius(_manifest(), [later]), run_id="r3")
    assert _read(
        serving, "select numerator, held_since from kpi.kpi_progress where kpi_code = 'SS05'"
    ) == [(1, since)]

    # Released: everything current again; rollback steps back to the held night as before.
    publish(warehouse, serving, holds.blast_radius(_manifest(), []), run_id="r4")
    assert _read(serving, "select distinct figures_status from kpi.kpi_progress") == [("current",)]
    assert _read(serving, "select n from marts.fct_stays") == [(3,)]
    rollback(serving)
    assert _read(serving, "select n from marts.fct_stays") == [(1,)]


def test_the_semantic_layer_shows_a_held_kpi_as_paused_with_reason_and_date() -> None:
    import yaml

    from minzheng import settings

    layer = yaml.safe_load(
        (settings.PROJECT_ROOT / "dbt_project" / "metrics" / "semantic_layer.yml").read_text(
            encoding="utf-8"
        )
    )
    [display] = [d for d in layer["kpi_progress"]["dimensions"] if d["name"] == "figures_display"]
    assert display["label_zh"] == "数据状态"
    with duckdb.connect() as connection:
        connection.execute("create schema kpi")
        _kpi_progress(connection, {"SS05": 1, "SA02": 2})
        connection.execute(
            "update kpi.kpi_progress set figures_status = 'held', "
            "held_reason = 'civil_registry.rescue_station_stays s_2.csv: rule' "
            "where kpi_code = 'SS05'"
        )
        shown = connection.execute(
            f"select kpi_code, {display['expression']} from kpi.kpi_progress order by kpi_code"
        ).fetchall()
    assert shown == [
        ("SA02", "正常"),
        (
            "SS05",
            "数据暂停更新：civil_registry.rescue_station_stays s_2.csv: rule（数据截至 2025-01-01）",
        ),
    ]


def test_the_export_refuses_a_quarter_with_held_kpis_unless_allowed(tmp_path: Path) -> None:
    import pytest
    from openpyxl import load_workbook

    from minzheng.export import HeldKpisError, Quarter, export_quarter
    from tests.minzheng.test_export import _serving

    serving = tmp_path / "minzheng.duckdb"
    _serving(serving)
    reason = "civil_registry.deaths deaths_20241231.csv: expect_column_values_to_match_regex"
    with duckdb.connect(str(serving)) as connection:
        connection.execute(
            "alter table kpi.kpi_progress add column figures_status varchar default 'current'"
        )
        connection.execute("alter table kpi.kpi_progress add column held_reason varchar")
        connection.execute(
            "update kpi.kpi_progress set figures_status = 'held', held_reason = ? "
            "where kpi_code = 'EC01' and period_month = date '2024-12-01'",
            [reason],
        )
    with pytest.raises(HeldKpisError, match="2024Q4 has 1 held KPIs") as refused:
        export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q4"))
    assert [kpi.kpi_code for kpi in refused.value.held] == ["EC01"]
    assert reason in str(refused.value) and "--allow-held" in str(refused.value)
    assert not (tmp_path / "exports" / "2024Q4").exists()
    # A quarter with no held KPI exports as before.
    export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q3"))

    result = export_quarter(serving, tmp_path / "exports", Quarter.parse("2024Q4"), allow_held=True)
    cover = load_workbook(result.workbook)["封面"]
    listed = [row for row in cover.iter_rows(values_only=True) if row[0] == "暂停更新指标"]
    assert listed == [("暂停更新指标", f"EC01: 数据截至 2024-12-31; 原因: {reason}")]

"""The raw contract check runs on SQL, blocks on failures, and records Data Docs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from expectations.suites.raw import suite_factory
from minzheng.raw_zone import RawZone
from orchestration.lib.quality import published_kpi_check, raw_suite_check
from orchestration.lib.resources import RawZoneResource
from sources.common.registry import entities
from tests.expectations.conftest import DEATH_COLUMNS, death_rows

deaths = suite_factory(entities("civil_registry")["deaths"])


def test_raw_check_blocks_reports_figures_and_records_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    raw = tmp_path / "raw"
    frame = death_rows(20)[DEATH_COLUMNS]
    frame.loc[0, "registration_county_code"] = "999999"
    RawZone(raw).land("civil_registry", "deaths", frame, batch_label="20250302")

    check = raw_suite_check("civil_registry", "deaths", deaths)
    context = dg.build_asset_check_context(resources={"raw_zone": RawZoneResource(root=str(raw))})
    result = check(context)  # type: ignore[operator]

    assert isinstance(result, dg.AssetCheckResult)
    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.ERROR
    metadata = result.metadata
    assert metadata["engine"].value == "sql"
    assert metadata["rows_validated"].value == 20
    assert metadata["blocking_failures"].value == 1
    assert "registration_county_code" in metadata["failed"].value
    docs = Path(metadata["data_docs"].value)
    assert docs == tmp_path.resolve() / "quality" / "index.html" and docs.exists()
    assert Path(metadata["data_docs_validation"].value).exists()


def test_published_check_passes_a_complete_grid_and_records_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        connection.execute("create schema kpi; create schema conformed")
        connection.execute(
            "create table kpi.kpi_catalog as select 'city' as scope, 2025 as plan_year, "
            "true as has_measure"
        )
        connection.execute(
            "create table conformed.dim_calendar as select 2025 as plan_year, true as is_reported"
        )
        connection.execute(
            "create table kpi.kpi_progress as select 'K01' as kpi_code, '2025-03' as period_month, "
            "'321200' as region_code, '达标' as status, 'city' as region_level, "
            "0.5 as actual_value, 'ratio' as measure_type, 0.4 as target_value, "
            "'explicit' as target_basis, date '2025-03-31' as data_as_of"
        )
    check = published_kpi_check(dg.AssetKey(["kpi", "kpi_progress"]))
    result = check(dg.build_asset_check_context())  # type: ignore[operator]
    assert isinstance(result, dg.AssetCheckResult)
    assert result.passed, result.metadata["failed"].value
    assert result.metadata["expected_rows"].value == 1
    assert result.metadata["engine"].value == "pandas"
    assert Path(result.metadata["data_docs_validation"].value).exists()

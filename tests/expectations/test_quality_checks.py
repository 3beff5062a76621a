"""The raw contract check runs on SQL, blocks on failures, and records Data Docs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest

from expectations.suites import SuiteFactory, fingerprint
from expectations.suites.raw import suite_factory
from minzheng import holds
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


def test_raw_check_judges_only_batches_new_since_its_last_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that kept the suite keeps it: a night judges only what landed since the last
    passing check, holds a new bad batch on its own, and judges everything again once the suite
    has changed."""
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    raw = tmp_path / "raw"
    zone = RawZone(raw)
    context = dg.build_asset_check_context(resources={"raw_zone": RawZoneResource(root=str(raw))})

    def judge(suite: SuiteFactory = deaths) -> dg.AssetCheckResult:
        result = raw_suite_check("civil_registry", "deaths", suite)(context)  # type: ignore[operator]
        assert isinstance(result, dg.AssetCheckResult)
        return result

    for day in range(3):
        frame = death_rows(10, start=10 * day)[DEATH_COLUMNS]
        zone.land("civil_registry", "deaths", frame, batch_label=f"2025030{day + 1}")
    first = judge()
    assert first.passed and first.metadata["batches_judged"].value == 3
    assert first.metadata["rows_validated"].value == 30

    again = judge()
    assert again.passed and again.metadata["batches_judged"].value == 0
    assert "rows_validated" not in again.metadata

    good = death_rows(10, start=30)[DEATH_COLUMNS]
    zone.land("civil_registry", "deaths", good, batch_label="20250304")
    bad = death_rows(10, start=40)[DEATH_COLUMNS]
    bad.loc[0, "registration_county_code"] = "999999"
    zone.land("civil_registry", "deaths", bad, batch_label="20250305")
    night = judge()
    assert night.metadata["batches_judged"].value == 2
    assert night.metadata["rows_validated"].value == 20
    assert night.passed is False and night.severity == dg.AssetCheckSeverity.WARN
    [hold] = holds.holds(zone)
    assert hold.batch_id.startswith("20250305_")
    assert [m.batch_id[:8] for m in zone.manifests("civil_registry", "deaths")] == [
        "20250301",
        "20250302",
        "20250303",
        "20250304",
    ]
    assert judge().metadata["batches_judged"].value == 0

    # Another suite (a rule more): the batches that kept the old one are judged again.
    def stricter() -> gx.ExpectationSuite:
        rule = gxe.ExpectColumnValuesToNotBeNull(
            column="funeral_home", meta={"severity": "blocking"}
        )
        return gx.ExpectationSuite(
            name="raw.civil_registry.deaths", expectations=[*deaths().expectations, rule]
        )

    assert fingerprint(stricter()) != fingerprint(deaths())
    changed = judge(stricter)
    assert changed.passed and changed.metadata["batches_judged"].value == 4
    assert judge(stricter).metadata["batches_judged"].value == 0


def test_published_check_passes_a_complete_grid_and_records_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        connection.execute("create schema kpi; create schema conformed")
        connection.execute(
            "create table kpi.kpi_plan_by_year as select 'city' as scope, 2025 as plan_year"
        )
        connection.execute(
            "create table conformed.dim_calendar as select 2025 as plan_year, true as is_reported"
        )
        connection.execute(
            "create table conformed.dim_region as select '321200' as region_code, "
            "'city' as region_level"
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

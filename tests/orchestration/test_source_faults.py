"""Deterministic faults are not retried; transient ones are, within a stated budget, once.

A file that cannot be parsed is quarantined whole on the first try, with its name and reason;
a source that does not answer fails its extract step once (no Dagster retry) within the budget,
as ``source X unreachable: reason``.
"""

from __future__ import annotations

import shutil
import socket
import time
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

import sources.civil_registry.client as civil_registry
import sources.social_org_registry.client as registry
from minzheng.extract import extract_files
from minzheng.raw_zone import RawZone
from orchestration.lib.extract_assets import UNPARSEABLE_FILE, api_entity_asset, sql_table_asset
from orchestration.lib.resources import ElderlyCareDatabase, RawZoneResource, SmartAssistanceApi
from orchestration.run import failure_reason

TODAY = date(2025, 1, 2)


def _header(entity: str) -> str:
    return ",".join(civil_registry.ENTITY_COLUMNS[entity])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("marriages_20240101.csv", b"", "EmptyDataError"),
        ("marriages_20240102.csv", "一,二\n".encode("utf-16"), "UnicodeDecodeError"),
        ("marriages_20240103.csv", b"renamed_column,other\n1,2\n", "SchemaDriftError"),
    ],
)
def test_an_unparseable_daily_file_is_quarantined_on_the_first_try(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    inbox = tmp_path / "inbox" / "marriages"
    inbox.mkdir(parents=True)
    (inbox / name).write_bytes(content)
    good = inbox / "marriages_20240104.csv"
    good.write_text(_header("marriages") + "\n", encoding="utf-8")
    zone = RawZone(tmp_path / "raw")
    reads: list[str] = []

    def read(path: Path) -> object:
        reads.append(path.name)
        return civil_registry.read_daily_file(path, "marriages")

    result = extract_files(
        zone,
        "civil_registry",
        "marriages",
        civil_registry.list_inbox_files(tmp_path / "inbox", "marriages"),
        read,  # type: ignore[arg-type]
        civil_registry.file_date,
        UNPARSEABLE_FILE,
        today=TODAY,
    )
    assert result.quarantined_files == [name]
    assert reads.count(name) == 1
    [record] = zone.quarantined_files("civil_registry", "marriages")
    assert record.source_file == name and record.error.startswith(reason)


def test_a_truncated_workbook_is_quarantined_with_its_name(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    from openpyxl import Workbook

    whole = drop / "whole.xlsx"
    workbook = Workbook()
    workbook.active.append(["x"] * 50)
    workbook.save(whole)
    truncated = drop / "社会组织名录_20240131.xlsx"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    zone = RawZone(tmp_path / "raw")
    result = extract_files(
        zone,
        "social_org_registry",
        "organizations",
        registry.list_exports(drop, "organizations"),
        lambda path: registry.read_export(path, "organizations"),
        registry.export_date,
        UNPARSEABLE_FILE,
        today=TODAY,
    )
    assert result.quarantined_files == [truncated.name]
    [record] = zone.quarantined_files("social_org_registry", "organizations")
    assert record.error.startswith("BadZipFile")


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_an_outage_fails_each_source_once_within_its_budget(tmp_path: Path) -> None:
    """The API on a closed port and the elderly-care database missing: one attempt per step,
    each failing within the budget with the source named and the reason."""
    budget = 2.0
    missing = tmp_path / "elderly_care.sqlite"
    assets = [api_entity_asset("persons", "p"), sql_table_asset("institutions", "i")]
    began = time.monotonic()
    result = dg.materialize(
        assets,
        resources={
            "smart_assistance_api": SmartAssistanceApi(
                base_url=_closed_port(), token="t", retry_budget_s=budget
            ),
            "elderly_care_db": ElderlyCareDatabase(url=f"sqlite:///{missing}"),
            "raw_zone": RawZoneResource(root=str(tmp_path / "raw")),
        },
        raise_on_error=False,
    )
    elapsed = time.monotonic() - began
    failures = {
        event.step_key: failure_reason(event)
        for event in result.all_events
        if event.is_step_failure
    }
    assert set(failures) == {"raw__smart_assistance__persons", "raw__elderly_care__institutions"}
    assert "source smart_assistance unreachable: " in failures["raw__smart_assistance__persons"]
    assert "ConnectError" in failures["raw__smart_assistance__persons"]
    assert (
        "source elderly_care unreachable: no database file at"
        in (failures["raw__elderly_care__institutions"])
    )
    assert not [e for e in result.all_events if e.event_type_value == "STEP_RESTARTED"]
    assert not missing.exists()  # SQLite was not left to create an empty database
    assert elapsed < budget + 15  # the step overhead of two Dagster steps, not retries
    shutil.rmtree(tmp_path / "raw", ignore_errors=True)

"""Every landed row is staged, quarantined, superseded or redelivered, batch by batch, and the run
says so.

A small raw zone landed the way the extract lands it (manifests included): an empty batch for every
entity, and batches of three entities whose rows go everywhere a row can go (staged, quarantined
by a row-level contract or as a conflicting re-send, superseded by a later version, redelivered
as an identical re-send). dbt builds the
staging, quarantine and audit models on it (`dbt build --select +audit`, the audit's tests only);
the audit, the run summary and the Dagster check must then give the figures below.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from expectations.suites import RAW_SUITES
from minzheng import settings
from minzheng.raw_zone import RawZone
from minzheng.run_summary import RunOutcome, batch_reconciliation, print_summary
from minzheng.warehouse_plugin import register_udfs
from orchestration.lib.quality import batch_reconciliation_check
from tests.expectations.violations import FILE_SOURCES, source_columns, suite_of

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
PII_KEY = "reconciliation-test-key"
ENTITY_AUDIT = dg.AssetKey(["audit", "audit_entity_reconciliation"])

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(first17: str) -> str:
    """A GB 11643 ID number with its check character."""
    return (
        first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]
    )


def _death(record: str, version: str, county: str = "321202") -> dict[str, str]:
    return {
        "death_record_id": record,
        "record_version": version,
        "deceased_id_number": _id_number(f"3212021940010{record[-4:]}"),
        "deceased_name": "张三",
        "sex": "男",
        "birth_date": "1940-01-01",
        "death_date": "2024-12-01",
        "registration_date": "2024-12-01",
        "registration_county_code": county,
        "cremated": "是",
        "via_96444": "否",
        "funeral_home": "泰州市殡仪馆",
    }


def _order(order: str, updated_at: str, service_date: str = "2024-12-01") -> dict[str, str]:
    # Orders 1 and 2 are twins: same resident, day, service, provider and funding.
    return {
        "order_id": order,
        "resident_id": "LN00000001",
        "provider_org_id": "FW00000001",
        "service_type": "助餐" if order in ("1", "2") else "助洁",
        "service_date": service_date,
        "is_government_purchased": "是",
        "order_status": "已完成",
        "amount": "30",
        "updated_at": updated_at,
    }


def _branch(branch: str, town: str = "321202001000") -> dict[str, str | None]:
    return {
        "分会编号": branch,
        "分会名称": f"慈善分会{branch}",
        "所在镇街代码": town,
        "所在镇街名称": "海陵街道",
        "成立日期": "2020-01-01",
        "分会状态": "正常",
        "撤销日期": None,
    }


@dataclass(frozen=True)
class Scenario:
    """A batch to land and where each of its rows must end up."""

    source: str
    entity: str
    label: str
    source_file: str | None
    rows: list[dict[str, str | None]]
    staged: int
    quarantined: int
    superseded: int
    redelivered: int = 0


SCENARIOS = [
    # SW01 v1 is corrected by v2 the next day.
    Scenario(
        "civil_registry", "deaths", "deaths_20241201", "deaths_20241201.csv",
        [_death("SW0000000001", "1"), _death("SW0000000002", "1")],
        staged=1, quarantined=0, superseded=1,
    ),
    # SW03 registered outside Taizhou (quarantined); SW04 sent twice in the same file.
    Scenario(
        "civil_registry", "deaths", "deaths_20241202", "deaths_20241202.csv",
        [
            _death("SW0000000001", "2"),
            _death("SW0000000003", "1", county="999999"),
            _death("SW0000000004", "1"),
            _death("SW0000000004", "1"),
        ],
        staged=2, quarantined=1, superseded=0, redelivered=1,
    ),
    # The exchange re-sends SW02 v1 as it was (redelivered), and SW04 v1 with another funeral home
    # (a conflicting redelivery: quarantined, SW04 keeps the content landed first).
    Scenario(
        "civil_registry", "deaths", "deaths_20241203", "deaths_20241203.csv",
        [_death("SW0000000002", "1"), {**_death("SW0000000004", "1"), "funeral_home": "兴化市殡仪馆"}],
        staged=0, quarantined=1, superseded=0, redelivered=1,
    ),
    # Order 2 is a twin of order 1 (quarantined); order 3 is updated in the next window.
    Scenario(
        "elderly_care", "home_service_orders", "w20241201", None,
        [
            _order("1", "2024-12-01 09:00:00"),
            _order("2", "2024-12-01 09:05:00"),
            _order("3", "2024-12-01 10:00:00"),
        ],
        staged=1, quarantined=1, superseded=1,
    ),
    Scenario(
        "elderly_care", "home_service_orders", "w20241202", None,
        [
            _order("3", "2024-12-02 08:00:00"),
            _order("4", "2024-12-02 08:30:00", service_date="2024-12-32"),
        ],
        staged=1, quarantined=1, superseded=0,
    ),
    # Full exports: the later one supersedes every row of the earlier; CF03 sits outside Taizhou.
    Scenario(
        "social_org_registry", "charity_branches", "charity_branches_20241130",
        "慈善分会名录_20241130.xlsx",
        [_branch("CF000001"), _branch("CF000002")],
        staged=0, quarantined=0, superseded=2,
    ),
    Scenario(
        "social_org_registry", "charity_branches", "charity_branches_20241231",
        "慈善分会名录_20241231.xlsx",
        [_branch("CF000001"), _branch("CF000002"), _branch("CF000003", town="999999001000")],
        staged=2, quarantined=1, superseded=0,
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Build:
    data_dir: Path
    batch_ids: dict[str, str]  # scenario label -> batch id

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"


def _land_zone(data_dir: Path) -> dict[str, str]:
    zone = RawZone(data_dir / "raw")
    started = datetime(2024, 12, 1, tzinfo=UTC)
    # Every entity exists in the raw zone (dbt reads each), most with an empty batch.
    for (source, entity), _ in sorted(RAW_SUITES.items()):
        empty = pd.DataFrame(columns=source_columns(suite_of(source, entity)), dtype=object)
        zone.land(
            source,
            entity,
            empty,
            batch_label="empty",
            source_file=f"{entity}_20241101.csv" if source in FILE_SOURCES else None,
            extracted_at=started,
        )
    batch_ids = {}
    for minute, scenario in enumerate(SCENARIOS, start=1):
        manifest = zone.land(
            scenario.source,
            scenario.entity,
            pd.DataFrame(scenario.rows, dtype=object),
            batch_label=scenario.label,
            source_file=scenario.source_file,
            extracted_at=started.replace(minute=minute),
        )
        assert manifest is not None
        batch_ids[scenario.label] = manifest.batch_id
    return batch_ids


def _dbt(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(DBT),
            *args,
            "--project-dir",
            str(settings.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(settings.DBT_PROJECT_DIR),
            "--target-path",
            str(data_dir / "dbt_target"),
            "--log-path",
            str(data_dir / "dbt_logs"),
            "--vars",
            "{data_as_of: '2024-12-31'}",
        ],
        cwd=REPO,
        env={
            **os.environ,
            "MINZHENG_DATA_DIR": str(data_dir),
            "MINZHENG_PII_KEY": PII_KEY,
            "MINZHENG_ENV": "dev",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    data_dir = tmp_path_factory.mktemp("reconciliation")
    batch_ids = _land_zone(data_dir)
    # Staging, quarantine and audit models with the audit's own tests (not staging's).
    built = _dbt(data_dir, "build", "--select", "+audit", "--indirect-selection", "empty")
    assert built.returncode == 0, built.stdout[-6000:] + built.stderr[-3000:]
    return Build(data_dir, batch_ids)


@pytest.fixture
def data_env(build: Build, monkeypatch: pytest.MonkeyPatch) -> Iterator[Build]:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(build.data_dir))
    monkeypatch.setenv("MINZHENG_PII_KEY", PII_KEY)
    yield build


def _batches(warehouse: Path) -> dict[str, tuple[int, int, int, int, int, bool]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select batch_id, raw_rows, staged_rows, quarantined_rows, superseded_rows, "
            "redelivered_rows, is_reconciled from audit.audit_batch_reconciliation"
        ).fetchall()
    return {batch: tuple(figures) for batch, *figures in rows}  # type: ignore[misc]


def test_every_row_of_every_batch_is_staged_quarantined_superseded_or_redelivered(
    build: Build,
) -> None:
    expected = {
        build.batch_ids[s.label]: (
            len(s.rows),
            s.staged,
            s.quarantined,
            s.superseded,
            s.redelivered,
            True,
        )
        for s in SCENARIOS
    }
    # Empty batches hold no row, so no row of the audit either.
    assert _batches(build.warehouse) == expected


def test_the_run_summary_gives_quarantine_and_reconciliation_figures(
    data_env: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    print_summary(settings.paths(), RunOutcome(run_id="test", success=True, published=False))
    out = capsys.readouterr().out
    landed = sum(len(s.rows) for s in SCENARIOS)
    quarantined: dict[str, int] = {}
    for s in SCENARIOS:
        entity = f"{s.source}.{s.entity}"
        quarantined[entity] = quarantined.get(entity, 0) + s.quarantined
    listed = out[out.index("quarantined rows") : out.index("conflicting redeliveries")]
    assert {
        line.split()[0]: int(line.split()[1]) for line in listed.splitlines()[1:] if line.strip()
    } == quarantined
    conflicting = out[out.index("conflicting redeliveries") : out.index("reconciliation per")]
    assert conflicting.splitlines()[1].split() == ["civil_registry.deaths", "1"]
    reconciliation = out[out.index("reconciliation per raw batch") :]
    figures = {line.split()[0]: line.split()[1] for line in reconciliation.splitlines()[1:9]}
    assert figures == {
        "batches": str(len(SCENARIOS)),
        "landed": str(landed),
        "read": str(landed),
        "staged": str(sum(s.staged for s in SCENARIOS)),
        "quarantined": str(sum(s.quarantined for s in SCENARIOS)),
        "superseded": str(sum(s.superseded for s in SCENARIOS)),
        "redelivered": str(sum(s.redelivered for s in SCENARIOS)),
        "held": "0",
    }
    assert "every batch reconciles" in reconciliation


def test_the_dagster_check_carries_the_figures(data_env: Build) -> None:
    check = batch_reconciliation_check(ENTITY_AUDIT)
    result = check(dg.build_asset_check_context())  # type: ignore[operator]
    assert isinstance(result, dg.AssetCheckResult)
    assert result.passed
    metadata = {key: value.value for key, value in result.metadata.items()}
    assert metadata["landed_rows"] == metadata["raw_rows"] == sum(len(s.rows) for s in SCENARIOS)
    assert metadata["quarantined_rows"] == sum(s.quarantined for s in SCENARIOS)
    assert metadata["superseded_rows"] == sum(s.superseded for s in SCENARIOS)
    assert metadata["redelivered_rows"] == sum(s.redelivered for s in SCENARIOS)
    assert metadata["conflicting_redeliveries"] == {"civil_registry.deaths": 1}
    assert metadata["unreconciled_batches"] == metadata["batches_landed_not_read"] == 0
    assert metadata["by_entity"]["civil_registry.deaths"] == {
        "batches": 3,
        "landed": 8,
        "raw": 8,
        "staged": 3,
        "quarantined": 2,
        "superseded": 1,
        "redelivered": 2,
        "held": 0,
        "unreconciled_batches": 0,
    }


@pytest.fixture
def scratch_copy(build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Build:
    """A copy of the build to break (the module's build stays as it was)."""
    copy = tmp_path / "data"
    shutil.copytree(build.data_dir, copy, ignore=shutil.ignore_patterns("dbt_target", "dbt_logs"))
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(copy))
    monkeypatch.setenv("MINZHENG_PII_KEY", PII_KEY)
    return Build(copy, build.batch_ids)


def test_a_batch_landed_but_not_read_fails_the_check(scratch_copy: Build) -> None:
    """Landed after the warehouse read the raw zone: its rows are in no staged table."""
    late = RawZone(scratch_copy.data_dir / "raw").land(
        "civil_registry",
        "deaths",
        pd.DataFrame([_death("SW0000000009", "1")], dtype=object),
        batch_label="deaths_20241203",
        source_file="deaths_20241203.csv",
    )
    assert late is not None
    result = batch_reconciliation_check(ENTITY_AUDIT)(dg.build_asset_check_context())  # type: ignore[operator]
    assert isinstance(result, dg.AssetCheckResult)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR
    assert result.metadata["batches_landed_not_read"].value == 1
    assert f"{late.batch_id}: 1 rows landed, 0 read" in str(result.metadata["not_reconciled"].value)


@pytest.fixture
def warehouse_to_break(data_env: Build, tmp_path: Path) -> Iterator[Build]:
    """The module's build, its warehouse put back afterwards (dbt then reuses its parse state:
    same project, target and environment)."""
    kept = tmp_path / "warehouse.duckdb"
    shutil.copy2(data_env.warehouse, kept)
    try:
        yield data_env
    finally:
        shutil.copy2(kept, data_env.warehouse)


def test_a_row_lost_between_staging_and_quarantine_fails_the_build(
    warehouse_to_break: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    build = warehouse_to_break
    batch = build.batch_ids["deaths_20241202"]
    with duckdb.connect(str(build.warehouse)) as connection:
        connection.execute("delete from quarantine.quarantine_civil_registry__deaths")
    rebuilt = _dbt(build.data_dir, "build", "--select", "audit")
    assert rebuilt.returncode != 0
    assert any(
        "FAIL" in line and "assert_every_raw_batch_reconciles" in line
        for line in rebuilt.stdout.splitlines()
    ), rebuilt.stdout[-3000:]
    assert _batches(build.warehouse)[batch] == (4, 2, 0, 0, 1, False)

    reconciliation = batch_reconciliation(settings.paths())
    assert reconciliation is not None and not reconciliation.is_reconciled
    print_summary(
        settings.paths(), RunOutcome(run_id="test", success=False, published=False, built=True)
    )
    out = capsys.readouterr().out
    # The conflicting re-send of deaths_20241203 was deleted with the rest of the quarantine.
    assert "2 batches do NOT reconcile" in out
    assert f"civil_registry.deaths {batch}: raw 4 != staged 2 + quarantined 0" in out


def test_a_conflicting_redelivery_is_quarantined_and_the_first_content_stays(
    build: Build,
) -> None:
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        register_udfs(connection, PII_KEY)  # staging views pseudonymise on read
        staged = connection.execute(
            "select funeral_home_name, batch_id from staging.stg_civil_registry__deaths "
            "where death_record_id = 'SW0000000004'"
        ).fetchall()
        quarantined = connection.execute(
            "select quarantine_rule, quarantine_reason, batch_id "
            "from quarantine.quarantine_civil_registry__deaths where record_key = 'SW0000000004'"
        ).fetchall()
    assert staged == [("泰州市殡仪馆", build.batch_ids["deaths_20241202"])]
    assert quarantined == [
        (
            "conflicting_redelivery",
            "conflicting redelivery: same key and version as a landed record, different content",
            build.batch_ids["deaths_20241203"],
        )
    ]

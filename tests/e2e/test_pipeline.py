"""The whole path on a small scale: simulate, `minzheng run`, and the figures it must give."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sources.common.regions import SEEDS
from tests.conftest import MINZHENG, minzheng, pipeline_env

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TARGETS_SEED = SEEDS / "kpi_targets.csv"
REGIONS = pd.read_csv(SEEDS / "ref_counties.csv", dtype=str)
CITY = set(REGIONS.loc[REGIONS["region_level"] == "city", "region_code"])
COUNTIES = set(REGIONS.loc[REGIONS["region_level"] == "county", "region_code"])


@pytest.fixture
def data_env(published: Path) -> dict[str, str]:
    """The session's published pipeline, to read: a test that runs anything copies it first."""
    return pipeline_env(published)


def _serving(env: dict[str, str]) -> Path:
    return Path(env["MINZHENG_DATA_DIR"]) / "serving" / "minzheng.duckdb"


def _progress(env: dict[str, str]) -> pd.DataFrame:
    with duckdb.connect(str(_serving(env)), read_only=True) as connection:
        return connection.execute("select * from kpi.kpi_progress").df()


def test_kpi_grid_covers_every_action_line_region_and_month(data_env: dict[str, str]) -> None:
    targets = pd.read_csv(TARGETS_SEED, dtype=str)
    progress = _progress(data_env)
    assert set(progress["kpi_code"]) == set(targets["kpi_code"])
    months = pd.to_datetime(progress["period_month"]).dt.strftime("%Y-%m")
    for kpi in targets.itertuples():
        rows = progress[progress["kpi_code"] == kpi.kpi_code]
        expected_regions = CITY if kpi.scope == "city" else COUNTIES | CITY
        assert set(rows["region_code"]) == expected_regions, kpi.kpi_code
        kpi_months = set(months[rows.index])
        # The plan year, and the year before it as the baseline of 同比.
        assert kpi_months == {f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)}
        planned, baseline = rows[rows["plan_year"] == 2024], rows[rows["plan_year"] == 2023]
        assert set(planned["target_basis"]) == {kpi.target_basis}, kpi.kpi_code
        assert set(baseline["target_basis"]) == {"baseline"}, kpi.kpi_code
        assert baseline["target_value"].isna().all(), kpi.kpi_code
        assert set(baseline["status"]) <= {"监测", "无数据", "不公开"}, kpi.kpi_code
        if kpi.target_basis == "explicit":
            assert planned["actual_value"].notna().all(), kpi.kpi_code
    assert not progress.duplicated(["kpi_code", "period_month", "region_code"]).any()
    assert set(progress["status"]) <= {"达标", "序时达标", "滞后", "监测", "无数据", "不公开"}
    assert set(progress.loc[progress["is_current_plan_year"], "plan_year"]) == {2024}


def test_every_figure_carries_the_same_month_of_last_year(data_env: dict[str, str]) -> None:
    """同比 on the whole city-year: each 2024 row holds its 2023 row's figure as that row shows
    it (none where it is withheld or 0 of 0) and the change; the baseline year has none."""
    progress = _progress(data_env)
    keys = ["kpi_code", "region_code", "month"]
    progress["month"] = pd.to_datetime(progress["period_month"]).dt.month
    current = progress[progress["plan_year"] == 2024].set_index(keys)
    last = progress[progress["plan_year"] == 2023].set_index(keys)
    assert progress.loc[progress["plan_year"] == 2023, "actual_value_last_year"].isna().all()
    pd.testing.assert_series_equal(
        current["actual_value_last_year"],
        last["actual_value"].reindex(current.index),
        check_names=False,
    )
    both = current.dropna(subset=["actual_value", "actual_value_last_year"])
    assert len(both) > 0.5 * len(current)
    change = both["actual_value"] - both["actual_value_last_year"]
    assert (both["year_on_year_change"] - change).abs().max() < 1e-9
    assert current.loc[current["actual_value"].isna(), "year_on_year_change"].isna().all()
    growing = both[both["actual_value_last_year"] != 0]
    ratio = change[growing.index] / growing["actual_value_last_year"].abs()
    assert (growing["year_on_year_change_ratio"] - ratio).abs().max() < 1e-9


def test_kpi_values_equal_the_simulators_bookkeeping(data_env: dict[str, str]) -> None:
    truth_file = Path(data_env["MINZHENG_DATA_DIR"]) / "sources" / "_bookkeeping" / "kpi_truth.csv"
    truth = pd.read_csv(truth_file, dtype={"region_code": str})
    progress = _progress(data_env)
    progress["period_month"] = pd.to_datetime(progress["period_month"]).dt.strftime("%Y-%m-01")
    merged = truth.merge(
        progress,
        on=["kpi_code", "period_month", "region_code"],
        how="left",
        suffixes=("_truth", ""),
        indicator=True,
    )
    assert len(truth) > 0 and truth["kpi_code"].nunique() >= 5
    # A city-scope KPI publishes no district rows; its district measures must still agree.
    missing = merged[merged["_merge"] != "both"]
    assert set(missing["region_code"]) <= COUNTIES
    assert not set(missing["kpi_code"]) & set(progress.query("region_level == 'county'").kpi_code)
    with duckdb.connect(str(_serving(data_env)), read_only=True) as connection:
        measures = connection.execute("select * from kpi.kpi_measures").df()
    measures["period_month"] = pd.to_datetime(measures["period_month"]).dt.strftime("%Y-%m-01")
    # A withheld small cell (不公开) publishes no figures; the measure beneath it must still agree.
    published = merged[merged["_merge"] == "both"]
    withheld = published[published["status"] == "不公开"]
    assert withheld["numerator"].isna().all() and withheld["actual_value"].isna().all()
    unpublished = pd.concat([missing, withheld])
    district_truth = unpublished[["kpi_code", "period_month", "region_code", "numerator_truth"]]
    checked = district_truth.merge(measures, on=["kpi_code", "period_month", "region_code"])
    assert len(checked) == len(district_truth)
    assert (checked["numerator_truth"] == checked["numerator"]).all()
    for row in published[published["status"] != "不公开"].itertuples():
        assert row.numerator == row.numerator_truth, row
        if pd.isna(row.actual_value_truth):
            assert pd.isna(row.actual_value), row
        else:
            assert row.actual_value == pytest.approx(row.actual_value_truth, abs=1e-9), row


def test_the_export_and_its_manifest_exist(data_env: dict[str, str]) -> None:
    export_dir = Path(data_env["MINZHENG_DATA_DIR"]) / "exports" / "2024Q4"
    manifest = json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(f["name"]).suffix for f in manifest["files"]} == {".xlsx", ".csv"}
    for entry in manifest["files"]:
        digest = hashlib.sha256((export_dir / entry["name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"]


def test_the_build_keeps_its_dbt_target_in_the_data_dir(data_env: dict[str, str]) -> None:
    results = list((Path(data_env["MINZHENG_DATA_DIR"]) / "dbt_runs").glob("*/run_results.json"))
    assert results, "the warehouse build left no target folder under dbt_runs/"


def test_a_drifted_export_blocks_publish_and_leaves_serving_untouched(
    published_copy: Callable[[], dict[str, str]],
) -> None:
    data_env = published_copy()
    serving = _serving(data_env)
    before = hashlib.sha256(serving.read_bytes()).hexdigest()
    drop = Path(data_env["MINZHENG_DATA_DIR"]) / "sources" / "social_org_registry" / "drop"
    latest = sorted(drop.glob("社会组织评估等级_*.csv"))[-1]
    frame = pd.read_csv(latest, encoding="gbk", dtype=str).drop(columns=["评估等级"])
    drifted = drop / "社会组织评估等级_20250131.csv"
    frame.to_csv(drifted, index=False, encoding="gbk")
    blocked = minzheng(data_env, "run")
    assert blocked.returncode != 0
    assert "social_org_registry/evaluation_grades files_parse" in blocked.stdout
    assert "nothing was published" in blocked.stdout
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before


ID_NUMBER = r"[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])\d{2}\d{3}[\dXx]"
MOBILE = r"1[3-9]\d{9}"
# Raw columns that hold a person's name, by the naming of the source systems.
PERSON_NAME_COLUMN = r"(^|_)(applicant|deceased|submitted_by|person|party|worker|caregiver|resident|child|recipient)(_name)?$|_name$|法定代表人|姓名"
NOT_PERSON_NAME = {
    "institution_name",
    "funeral_home",
    "社会组织名称",
    "facility_name",
    "organization_name",
    "project_name",
    "station_name",
    "brand_name",
    "branch_name",
    "region_name",
    "village_name",
    "town_name",
}


def test_nothing_after_staging_holds_an_id_number_a_phone_or_a_name(
    data_env: dict[str, str],
) -> None:
    data = Path(data_env["MINZHENG_DATA_DIR"])
    with duckdb.connect() as connection:
        raw_columns = connection.execute(
            "describe select * from read_parquet(?, union_by_name = true)",
            [str(data / "raw" / "*" / "*" / "*.parquet")],
        ).fetchall()
        name_columns = [
            c[0]
            for c in raw_columns
            if re.search(PERSON_NAME_COLUMN, c[0]) and c[0] not in NOT_PERSON_NAME
        ]
        names: set[str] = set()
        for column in name_columns:
            values = connection.execute(
                f'select distinct "{column}" from read_parquet(?, union_by_name = true) '
                f'where "{column}" is not null',
                [str(data / "raw" / "*" / "*" / "*.parquet")],
            ).fetchall()
            names |= {v[0] for v in values if 2 <= len(v[0]) <= 4}
    assert names, "the simulated sources hold person names"
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as connection:
        # Every table the build stores (the large staging models are tables too), not views.
        relations = connection.execute(
            "select c.table_schema, c.table_name, c.column_name "
            "from information_schema.columns as c "
            "inner join information_schema.tables as t "
            "on c.table_schema = t.table_schema and c.table_name = t.table_name "
            "where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR' "
            "and c.table_schema in ('staging', 'quarantine', 'conformed', 'marts', 'kpi')"
        ).fetchall()
        assert relations
        offending = []
        for schema, table, column in relations:
            values = {
                row[0]
                for row in connection.execute(
                    f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
                ).fetchall()
            }
            if (
                any(re.search(ID_NUMBER, v) or re.fullmatch(MOBILE, v) for v in values)
                or values & names
            ):
                offending.append(f"{schema}.{table}.{column}")
    assert not offending, offending


def _content_hashes(database: Path) -> dict[str, str]:
    """An order-independent hash of every serving table's rows."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('conformed', 'marts', 'kpi') order by 1, 2"
        ).fetchall()
        hashes = {}
        for schema, table in tables:
            row = connection.execute(
                f"select md5(coalesce(string_agg(md5(cast(t as varchar)), '' order by md5(cast(t as varchar))), '')) from \"{schema}\".\"{table}\" as t"
            ).fetchone()
            hashes[f"{schema}.{table}"] = row[0] if row else ""
    return hashes


def _models_built(target: Path) -> int:
    """Models the build in `target` (its dbt target folder) has executed so far."""
    return sum(1 for _ in (target / "run").rglob("*.sql")) if (target / "run").is_dir() else 0


def _build_target(data: Path) -> Path | None:
    targets = list((data / "dbt_runs").glob("*/")) if (data / "dbt_runs").is_dir() else []
    return targets[0] if len(targets) == 1 else None


def _start_run(env: dict[str, str], *, capture: bool) -> subprocess.Popen[str]:
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [MINZHENG, "run"], env=env, stdout=output, stderr=output, text=True, start_new_session=True
    )


def _wait_for_build(process: subprocess.Popen[str], data: Path, models: int) -> Path:
    """The run's dbt target folder, once its build has executed `models` models."""
    deadline = time.monotonic() + 600
    while (target := _build_target(data)) is None or _models_built(target) < models:
        assert process.poll() is None, f"the run ended before its build had run {models} models"
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    return target


def _raw_batches(raw: Path) -> set[tuple[str, str]]:
    """(entity directory, batch id) of every landed batch."""
    return {
        (str(p.parent.relative_to(raw)), p.name.removesuffix(".manifest.json"))
        for p in raw.rglob("*.manifest.json")
        if not p.parent.relative_to(raw).as_posix().startswith("_")
    }


# --- nights that keep working: redelivered records, one bad file, and only what it touches ----


def test_nights_keep_working_through_a_resend_a_corrupt_file_and_a_killed_build(
    published_copy: Callable[[], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """Three nights on one private copy, each starting from where the night before left it:
    records sent again, then a corrupt day file held back with only what it touches, then its
    correction on a night killed mid-build that the next run heals, equal to a full rebuild."""
    env = published_copy()
    _a_redelivered_and_a_conflicting_record_change_no_kpi(env)
    _a_corrupt_file_holds_only_the_kpis_that_read_it(env, capsys)
    _the_corrected_night_killed_mid_build_heals_and_equals_a_full_rebuild(env)


def _inbox(env: dict[str, str], entity: str) -> Path:
    return Path(env["MINZHENG_DATA_DIR"]) / "sources" / "civil_registry" / "inbox" / entity


def _daily(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _audit(env: dict[str, str], source_file: str) -> tuple[int, ...]:
    """(raw, staged, quarantined, superseded, redelivered) of the batch of one file."""
    warehouse = Path(env["MINZHENG_DATA_DIR"]) / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        row = connection.execute(
            "select raw_rows, staged_rows, quarantined_rows, superseded_rows, redelivered_rows "
            "from audit.audit_batch_reconciliation where batch_id like ?",
            [source_file.removesuffix(".csv") + "_%"],
        ).fetchone()
    assert row is not None, source_file
    return tuple(int(figure) for figure in row)


def _a_redelivered_and_a_conflicting_record_change_no_kpi(env: dict[str, str]) -> None:
    """The exchange re-sends two death records as they were and a third with another funeral
    home: the first two are counted as redelivered, the third quarantined, nothing served moves."""
    serving = _serving(env)
    before = _content_hashes(serving)
    inbox = _inbox(env, "deaths")
    delivered = pd.concat([_daily(p) for p in sorted(inbox.glob("deaths_2024*.csv"))])
    assert len(delivered) >= 3
    resent = delivered.tail(3).copy()
    resent.iloc[2, resent.columns.get_loc("funeral_home")] = "兴化市殡仪馆（重发）"
    resent.to_csv(inbox / "deaths_20221231.csv", index=False, encoding="utf-8")

    ran = minzheng(env, "run")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "every batch reconciles" in ran.stdout
    conflicting = ran.stdout[ran.stdout.index("conflicting redeliveries") :]
    assert conflicting.splitlines()[1].split() == ["civil_registry.deaths", "1"]
    assert _audit(env, "deaths_20221231.csv") == (3, 0, 1, 0, 2)
    assert _content_hashes(serving) == before


def _newest(env: dict[str, str], entity: str) -> Path:
    from sources.civil_registry.client import list_inbox_files

    return list_inbox_files(_inbox(env, entity).parent, entity)[-1]


def _a_corrupt_file_holds_only_the_kpis_that_read_it(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A night when every system delivers a day and the deaths file is corrupt (dates in the
    wrong form): that file is held back, the KPIs downstream of deaths (by the dbt graph) keep
    their published figures with the reason, every other KPI publishes the build's figures."""
    from minzheng import holds
    from minzheng.raw_zone import RawZone

    data = Path(env["MINZHENG_DATA_DIR"])
    (data / "corrected").mkdir()
    serving = _serving(env)
    published = _progress(env)
    advanced = minzheng(env, "simulate", "advance", "--days", "1", "--no-progress")
    assert advanced.returncode == 0, advanced.stdout + advanced.stderr
    day_file = _newest(env, "deaths")
    corrupt = day_file.name
    good = _daily(day_file)
    # The day's deaths and one more record, whatever the day brought; kept to correct it later.
    extra = _daily(sorted(_inbox(env, "deaths").glob("deaths_2024*.csv"))[-1]).tail(1)
    extra = extra.assign(death_record_id="SW9999999999", record_version="1")
    good = pd.concat([good, extra], ignore_index=True)
    good.to_csv(data / "corrected" / corrupt, index=False, encoding="utf-8")
    good.assign(death_date=good["death_date"].str.replace("-", "/")).to_csv(
        day_file, index=False, encoding="utf-8"
    )
    batches_before = _raw_batches(data / "raw")

    ran = minzheng(env, "run")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "every batch reconciles" in ran.stdout
    landed = _raw_batches(data / "raw") - batches_before
    assert {entity for entity, _ in landed} - {"civil_registry/deaths"}, "nothing else landed"
    # Only the changes since the watermark: a day's worth, never the whole history again.
    manifests = [json.loads(p.read_text("utf-8")) for p in (data / "raw").rglob("*.manifest.json")]
    new_batches = {batch for _, batch in landed}
    assert sum(m["row_count"] for m in manifests if m["batch_id"] in new_batches) < 0.05 * sum(
        m["row_count"] for m in manifests
    )

    # The bad file is in quarantine, whole, with its rows counted: none is lost.
    [hold] = holds.holds(RawZone(data / "raw"))
    assert (hold.source, hold.entity, hold.source_file) == ("civil_registry", "deaths", corrupt)
    assert hold.row_count == len(good)
    assert any("death_date" in rule for rule in hold.rules)
    reconciliation = ran.stdout[ran.stdout.index("reconciliation per raw batch") :]
    assert ["held", f"{len(good):,}"] in [line.split() for line in reconciliation.splitlines()]

    # The KPIs downstream of deaths in the dbt graph are held, with their last published figures.
    manifest = holds.read_manifest(_manifest())
    expected = set(holds.blast_radius(manifest, [hold]).kpis)
    progress = _progress(env)
    held = set(progress.loc[progress["figures_status"] == "held", "kpi_code"])
    assert held == expected and held and held < set(progress["kpi_code"])
    assert (
        progress.loc[progress["figures_status"] == "held", "held_reason"]
        .str.contains(f"civil_registry.deaths {corrupt}")
        .all()
    )
    assert progress.loc[progress["figures_status"] == "held", "held_since"].notna().all()
    figures = ["kpi_code", "period_month", "region_code", "numerator", "denominator", "status"]
    kept = progress[progress["kpi_code"].isin(held)][figures].sort_values(figures[:3])
    before = published[published["kpi_code"].isin(held)][figures].sort_values(figures[:3])
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), before.reset_index(drop=True))
    assert "KPIs held" in ran.stdout and corrupt in ran.stdout

    # Everything else publishes as usual: the build's own figures.
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as connection:
        build = connection.execute("select * from kpi.kpi_progress").df()
    current = progress[~progress["kpi_code"].isin(held)][figures].sort_values(figures[:3])
    built = build[~build["kpi_code"].isin(held)][figures].sort_values(figures[:3])
    pd.testing.assert_frame_equal(current.reset_index(drop=True), built.reset_index(drop=True))
    moved = sorted(
        code
        for code in set(progress["kpi_code"]) - held
        if not progress[progress["kpi_code"] == code][figures]
        .sort_values(figures[:3])
        .reset_index(drop=True)
        .equals(
            published[published["kpi_code"] == code][figures]
            .sort_values(figures[:3])
            .reset_index(drop=True)
        )
    )
    with capsys.disabled():
        print(
            "\ncorrupt-file night:",
            json.dumps(
                {
                    "held": {
                        code: progress.loc[progress["kpi_code"] == code, "held_reason"].iloc[0]
                        for code in sorted(held)
                    },
                    "current_kpis": len(set(progress["kpi_code"]) - held),
                    "moved": moved,
                    "reconciliation": reconciliation.splitlines()[:10],
                },
                ensure_ascii=False,
                indent=1,
                default=str,
            ),
        )
    assert serving.exists()


def _manifest() -> Path:
    from orchestration.lib.dbt import manifest_path

    return manifest_path()


def _the_corrected_night_killed_mid_build_heals_and_equals_a_full_rebuild(
    env: dict[str, str],
) -> None:
    """The corrected deaths file arrives; that night is killed mid-build and leaves serving as it
    was; the next run lands nothing more, heals, catches the held KPIs up, and gives what a full
    rebuild gives."""
    data = Path(env["MINZHENG_DATA_DIR"])
    serving = _serving(env)
    [corrected] = (data / "corrected").iterdir()
    corrected.replace(_inbox(env, "deaths") / corrected.name)
    # The night's build gets a target folder of its own: the earlier runs' are removed.
    shutil.rmtree(data / "dbt_runs")
    before = _content_hashes(serving)
    before_bytes = hashlib.sha256(serving.read_bytes()).hexdigest()
    batches_before = _raw_batches(data / "raw")

    process = _start_run(env, capture=False)
    # Killed once the build has executed some models: mid-build by what dbt wrote, not by a clock.
    target = _wait_for_build(process, data, models=5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert not (target / "run_results.json").exists(), "the build had finished when killed"
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before_bytes
    landed = _raw_batches(data / "raw")
    assert batches_before < landed, "the killed night landed nothing"

    ran = minzheng(env, "run")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "every batch reconciles" in ran.stdout
    # Re-running the killed run's window landed nothing new.
    assert _raw_batches(data / "raw") == landed
    assert "KPIs held" not in ran.stdout
    progress = _progress(env)
    assert set(progress["figures_status"]) == {"current"}
    assert progress["held_since"].isna().all() and progress["held_reason"].isna().all()
    caught_up = _content_hashes(serving)
    assert caught_up != before, "the corrected file changed nothing that is served"
    caught_up_bytes = hashlib.sha256(serving.read_bytes()).hexdigest()

    # A full rebuild with nothing new: the same figures, so the serving file stays byte-identical,
    # said in one line.
    rebuilt = minzheng(env, "run", "--full-refresh")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert _raw_batches(data / "raw") == landed
    assert _content_hashes(serving) == caught_up
    [said] = [line for line in rebuilt.stdout.splitlines() if line.startswith("serving file:")]
    assert "unchanged: nothing new tonight" in said and "run " in said
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == caught_up_bytes


def test_a_first_publication_has_nothing_to_roll_back_to_and_a_stopped_night_nothing_more(
    published_copy: Callable[[], dict[str, str]],
) -> None:
    """Rollback with one publication: refused, said why. Then a day later, SIGTERM during the
    build: the build step finishes, no step starts after it (publish above all), the run says so
    and exits 143, and the run lock is free again."""
    from minzheng.locks import exclusive

    data_env = published_copy()
    data = Path(data_env["MINZHENG_DATA_DIR"])
    serving = _serving(data_env)
    before = hashlib.sha256(serving.read_bytes()).hexdigest()
    refused = minzheng(data_env, "rollback")
    assert refused.returncode == 2 and "nothing to roll back to" in refused.stderr
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before

    shutil.rmtree(data / "dbt_runs")
    advanced = minzheng(data_env, "simulate", "advance", "--days", "1", "--no-progress")
    assert advanced.returncode == 0, advanced.stdout + advanced.stderr
    process = _start_run(data_env, capture=True)
    target = _wait_for_build(process, data, models=0)
    os.kill(process.pid, signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=900)
    assert process.returncode == 128 + signal.SIGTERM, stdout[-3000:] + stderr[-3000:]
    assert "SIGTERM: stopping once the step in progress has finished" in stderr
    assert "STOPPED by SIGTERM" in stdout and "steps not started:" in stdout
    assert (target / "run_results.json").exists(), "the build in progress did not finish"
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before
    with exclusive(data / ".run.lock", "the test"):
        pass

"""`minzheng simulate advance`: the source systems move on day by day, each in its own medium.

The simulated world of the session (scale 0.02, clock at 2024-12-31) is copied and moved on four
days, to 2025-01-04: a pay day for 低保金, so every kind of daily change happens. The registry,
which only shows itself at month ends, is moved to 2025-01-31 on its own.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from minzheng.cli import main
from sources.advance import UNFINISHED, AdvanceError, advance, clock
from sources.civil_registry import advance as civil_advance
from sources.civil_registry.client import ENTITY_COLUMNS, list_inbox_files, read_daily_file
from sources.common.identity import is_valid_credit_code, is_valid_id_number
from sources.elderly_care.client import TABLE_KEYS, ElderlyCareClient, sqlite_url
from sources.simulate import BOOKKEEPING
from sources.smart_assistance.client import SmartAssistanceClient
from sources.smart_assistance.server import ENTITY_KEYS, serve_store
from sources.social_org_registry import advance as registry_advance
from sources.social_org_registry.client import (
    EXPORT_COLUMNS,
    FILE_STEMS,
    export_file_name,
    list_exports,
    read_export,
)

from .conftest import SEED

DAYS = 4
NEW_DAYS = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]
SA_STORE = Path("smart_assistance") / "store.sqlite"
EC_DB = Path("elderly_care") / "elderly_care.sqlite"
INBOX = Path("civil_registry") / "inbox"
DROP = Path("social_org_registry") / "drop"
# ID-number columns of the people each store holds.
SA_PEOPLE = {
    "assistance_cases": "applicant_id_number",
    "persons": "id_number",
    "children_in_difficulty": "id_number",
    "monitoring_alerts": "person_id_number",
    "project_services": "beneficiary_id_number",
}
EC_PEOPLE = {"older_residents": "id_number", "care_staff": "id_number"}


def _copy(simulated: dict[str, Any], target: Path) -> Path:
    shutil.copytree(simulated["dir"], target)
    return target


def _tables(db: Path, keys: dict[str, str]) -> dict[str, pd.DataFrame]:
    with sqlite3.connect(db) as conn:
        return {
            table: pd.read_sql_query(f'SELECT * FROM "{table}" ORDER BY "{key}"', conn)
            .astype(object)
            .set_index(key)
            for table, key in keys.items()
        }


@pytest.fixture(scope="module")
def before(simulated: dict[str, Any]) -> dict[str, Any]:
    root = simulated["dir"]
    return {
        "sa": _tables(root / SA_STORE, ENTITY_KEYS),
        "ec": _tables(root / EC_DB, TABLE_KEYS),
        "inbox": {p.relative_to(root).as_posix() for p in (root / INBOX).rglob("*.csv")},
        "drop": {p.name for p in (root / DROP).iterdir()},
    }


@pytest.fixture(scope="module")
def advanced(simulated: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = _copy(simulated, tmp_path_factory.mktemp("advanced") / "sources")
    advance(out, days=DAYS, progress=False)
    return out


@pytest.fixture(scope="module")
def after(advanced: Path) -> dict[str, Any]:
    return {
        "sa": _tables(advanced / SA_STORE, ENTITY_KEYS),
        "ec": _tables(advanced / EC_DB, TABLE_KEYS),
    }


def _is_new(root: Path, before: dict[str, Any], path: Path) -> bool:
    return path.relative_to(root).as_posix() not in before["inbox"]


def _new_files(root: Path, before: dict[str, Any], entity: str) -> list[Path]:
    """The entity's inbox files delivered by the advance, as the extract client lists them."""
    return [p for p in list_inbox_files(root / INBOX, entity) if _is_new(root, before, p)]


def _new_and_changed(old: pd.DataFrame, new: pd.DataFrame) -> tuple[set[str], set[str]]:
    added = set(new.index) - set(old.index)
    kept = new.loc[list(old.index)]
    moved = kept["updated_at"].astype(str) != old["updated_at"].astype(str)
    return added, set(kept.index[moved.to_numpy()])


# --- the clock and the books -------------------------------------------------------------------


def test_the_clock_moves_on_and_persists(advanced: Path) -> None:
    assert clock(advanced) == date(2025, 1, 4)
    books = advanced / BOOKKEEPING
    (entry,) = json.loads((books / "advances.json").read_text("utf-8"))
    assert (entry["from"], entry["to"], entry["days"]) == ("2024-12-31", "2025-01-04", DAYS)
    summary = json.loads((books / "summary.json").read_text("utf-8"))
    assert summary["as_of"] == "2025-01-04" and UNFINISHED not in summary
    assert set(entry["systems"]) == {
        "smart_assistance",
        "elderly_care",
        "social_org_registry",
        "civil_registry",
    }


def test_source_counts_follow_what_the_media_serve(
    simulated: dict[str, Any], before: dict[str, Any], after: dict[str, Any], advanced: Path
) -> None:
    """Rows served: a changed row of a table is served again (the watermark extract reads it
    again), and every row of a new file; the entry counts exactly the new and the changed keys."""
    books = advanced / BOOKKEEPING
    counts = json.loads((books / "source_counts.json").read_text("utf-8"))
    (entry,) = json.loads((books / "advances.json").read_text("utf-8"))
    for system, side in (("smart_assistance", "sa"), ("elderly_care", "ec")):
        for table, served in counts[system].items():
            added, changed = _new_and_changed(before[side][table], after[side][table])
            logged = entry["systems"][system][table]
            assert (logged["added"], logged["changed"]) == (len(added), len(changed)), table
            original = simulated["counts"][system][table]
            assert served == original + len(added) + len(changed), f"{system}.{table}"
            assert len(after[side][table]) == original + len(added), f"{system}.{table}"
    for entity, served in counts["civil_registry"].items():
        delivered = sum(
            len(read_daily_file(p, entity)) for p in _new_files(advanced, before, entity)
        )
        assert served == simulated["counts"]["civil_registry"][entity] + delivered, entity


# --- every system changes in its own medium ---------------------------------------------------


def test_every_system_gains_rows_dated_in_the_new_days(
    before: dict[str, Any], after: dict[str, Any], advanced: Path
) -> None:
    payments = after["sa"]["subsidy_payments"]
    paid = payments[payments["paid_date"].isin(NEW_DAYS)]
    assert (paid["paid_date"] == "2025-01-04").any(), "the month's first pay day pays"
    assert set(paid["payment_month"]) <= {"2025-01"}
    for table in ("monitoring_alerts", "project_services", "worker_trainings"):
        added, _ = _new_and_changed(before["sa"][table], after["sa"][table])
        created = after["sa"][table].loc[list(added), "created_at"].str[:10]
        assert added and set(created) <= set(NEW_DAYS), table

    for table in ("home_service_orders", "care_visits"):
        added, _ = _new_and_changed(before["ec"][table], after["ec"][table])
        entered = after["ec"][table].loc[list(added), "updated_at"].str[:10]
        assert added and set(entered) <= set(NEW_DAYS), table
    residents = after["ec"]["older_residents"]
    born = residents.loc[list(set(residents.index) - set(before["ec"]["older_residents"].index))]
    assert set(born["birth_date"]) <= {"1965-01-01", "1965-01-02", "1965-01-03", "1965-01-04"}

    files = {p.relative_to(advanced).as_posix() for p in (advanced / INBOX).rglob("*.csv")}
    delivered = files - before["inbox"]
    for entity in ("deaths", "marriages"):
        assert {f"civil_registry/inbox/{entity}/{entity}_{d.replace('-', '')}.csv"
                for d in NEW_DAYS} <= delivered  # fmt: skip
    assert all(any(d.replace("-", "") in f for d in NEW_DAYS) for f in delivered)
    # No month end passed: the registry has nothing new to show.
    assert {p.name for p in (advanced / DROP).iterdir()} == before["drop"]


def test_changes_carry_the_new_updated_at(before: dict[str, Any], after: dict[str, Any]) -> None:
    changed_somewhere = 0
    for side in ("sa", "ec"):
        for table, old in before[side].items():
            _, changed = _new_and_changed(old, after[side][table])
            stamps = after[side][table].loc[list(changed), "updated_at"].str[:10]
            assert set(stamps) <= set(NEW_DAYS), f"{table}: a change dated outside the new days"
            changed_somewhere += len(changed)
    assert changed_somewhere > 0
    cases = after["sa"]["assistance_cases"]
    _, changed = _new_and_changed(before["sa"]["assistance_cases"], cases)
    decided = cases.loc[list(changed)]
    assert set(decided["approved_date"].dropna()) - set(
        before["sa"]["assistance_cases"]["approved_date"].dropna()
    ) <= set(NEW_DAYS)


def test_civil_changes_are_the_next_versions(advanced: Path, before: dict[str, Any]) -> None:
    for entity, columns in ENTITY_COLUMNS.items():
        key = columns[0]
        files = list_inbox_files(advanced / INBOX, entity)
        if entity in ("deaths", "marriages"):  # corrected within 20 days of the first file
            files = files[-30:]
        rows = pd.concat(
            [read_daily_file(p, entity).assign(_new=_is_new(advanced, before, p)) for p in files],
            ignore_index=True,
        ).drop_duplicates([key, "record_version", "_new"])  # the exchange's duplicate sends
        assert not rows.duplicated([key, "record_version"]).any(), entity
        known = set(zip(rows[key], rows["record_version"].astype(int), strict=True))
        new = rows[rows["_new"]]
        for record, version in zip(new[key], new["record_version"].astype(int), strict=True):
            assert version == 1 or (record, version - 1) in known, f"{entity} {record}"


# --- keys and identities ---------------------------------------------------------------------


def test_new_keys_are_unique_and_id_numbers_valid(
    before: dict[str, Any], after: dict[str, Any], advanced: Path
) -> None:
    for side, people in (("sa", SA_PEOPLE), ("ec", EC_PEOPLE)):
        for table, column in people.items():
            added, _ = _new_and_changed(before[side][table], after[side][table])
            ids = after[side][table].loc[list(added), column]
            assert ids.map(is_valid_id_number).all(), table
            assert not ids.duplicated().any(), table
            assert not set(ids) & set(before[side][table][column]), table
    assert (after["ec"]["older_residents"].index.str.len() == 10).all()
    # Payments go to people the platform knows (as it knows them, dirt included).
    payments = after["sa"]["subsidy_payments"]
    added, _ = _new_and_changed(before["sa"]["subsidy_payments"], payments)
    known = set().union(*(set(after["sa"][t][c]) for t, c in SA_PEOPLE.items()))
    assert set(payments.loc[list(added), "recipient_id_number"]) <= known

    for entity in ("deaths", "marriages", "rescue_station_stays"):
        columns = ENTITY_COLUMNS[entity]
        files = _new_files(advanced, before, entity)
        if not files:  # a quiet feed
            continue
        new = pd.concat([read_daily_file(p, entity) for p in files], ignore_index=True)
        first = new[new["record_version"] == "1"]
        assert not first[columns[0]].duplicated().any(), entity
        for column in (c for c in columns if c.endswith("id_number")):
            assert first[column].dropna().map(is_valid_id_number).all(), f"{entity}.{column}"


def test_civil_keys_continue_past_every_delivered_one(
    simulated: dict[str, Any], before: dict[str, Any], advanced: Path, tmp_path: Path
) -> None:
    """New records never reuse a key, though the exchange's keys are not in file order."""
    for entity in ("deaths", "marriages", "rescue_station_stays"):
        key = ENTITY_COLUMNS[entity][0]
        old = {k for p in list_inbox_files(advanced / INBOX, entity) if not _is_new(advanced, before, p)
               for k in _first_column(p)}  # fmt: skip
        new = pd.concat([read_daily_file(p, entity) for p in _new_files(advanced, before, entity)]
                        or [pd.DataFrame(columns=[key, "record_version"])])  # fmt: skip
        assert not set(new.loc[new["record_version"] == "1", key]) & old, entity

    # Recipient deaths (the assistance platform's, registered here) keep their own key range.
    inbox = shutil.copytree(simulated["dir"] / "civil_registry", tmp_path / "civil_registry")
    persons = before["sa"]["persons"].head(3)
    recipients = pd.DataFrame(
        {
            "deceased_id_number": persons["id_number"].to_numpy(),
            "deceased_name": persons["person_name"].to_numpy(),
            "sex": persons["sex"].to_numpy(),
            "birth_date": persons["birth_date"].to_numpy(),
            "death_date": "2024-12-30",
            "registration_county_code": persons["registered_county_code"].to_numpy(),
        }
    )
    civil_advance.advance_day(
        inbox, date(2025, 1, 1), seed=SEED, scale=0.02, shared={"recipient_deaths": recipients}
    )
    files = list_inbox_files(inbox / "inbox", "deaths")
    rows = read_daily_file(files[-1], "deaths")
    registered = rows[rows["deceased_id_number"].isin(recipients["deceased_id_number"])]
    assert len(registered) == 3 and registered["death_record_id"].str.startswith("SW39").all()
    earlier = {k for p in files[:-1] for k in _first_column(p)}
    assert not set(registered["death_record_id"]) & earlier


def _first_column(path: Path) -> list[str]:
    """A daily file's keys, read plainly (thousands of files: pandas per file is slow)."""
    lines = path.read_text("utf-8-sig").splitlines()[1:]
    return [line.split(",", 1)[0] for line in lines]


# --- the real extract clients see exactly what moved -----------------------------------------


def test_api_client_sees_exactly_the_new_and_changed_records(
    before: dict[str, Any], after: dict[str, Any], advanced: Path
) -> None:
    token = "advance-test"
    with (
        serve_store(advanced / SA_STORE, token) as base_url,
        SmartAssistanceClient(base_url, token, page_size=500) as client,
    ):
        for entity, key in ENTITY_KEYS.items():
            watermark = str(before["sa"][entity]["updated_at"].max())
            seen = {
                row[key]
                for page in client.fetch_window(entity, watermark, "2025-01-05T00:00:00+08:00")
                for row in page
            }
            added, changed = _new_and_changed(before["sa"][entity], after["sa"][entity])
            assert seen == added | changed, entity


def test_database_client_sees_exactly_the_new_and_changed_rows(
    before: dict[str, Any], after: dict[str, Any], advanced: Path
) -> None:
    client = ElderlyCareClient(sqlite_url(advanced / EC_DB))
    try:
        for table, key in TABLE_KEYS.items():
            watermark = str(before["ec"][table]["updated_at"].max())
            chunks = list(client.read_window(table, watermark, "2025-01-05 00:00:00"))
            seen = set(pd.concat(chunks)[key]) if chunks else set()
            added, changed = _new_and_changed(before["ec"][table], after["ec"][table])
            assert seen == {str(k) for k in added | changed}, table
    finally:
        client.close()


def test_file_client_lists_and_reads_the_new_files(advanced: Path, before: dict[str, Any]) -> None:
    for entity in ENTITY_COLUMNS:
        for path in _new_files(advanced, before, entity):
            assert list(read_daily_file(path, entity).columns) == ENTITY_COLUMNS[entity]
            assert path.stem[-8:] in {d.replace("-", "") for d in NEW_DAYS}


# --- determinism ------------------------------------------------------------------------------


def _sources_digest(root: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or name.startswith(BOOKKEEPING):
            continue
        if path.suffix == ".sqlite":
            with sqlite3.connect(path) as conn:
                tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master "
                                                     "WHERE type = 'table' ORDER BY name")]  # fmt: skip
                out[name] = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                             for t in tables}  # fmt: skip
        elif path.suffix == ".xlsx":  # workbooks carry their save time: compare the rows
            entity = next(e for e, (stem, _) in FILE_STEMS.items() if path.stem[:-9] == stem)
            out[name] = read_export(path, entity).to_dict("split")
        else:
            out[name] = path.read_bytes()
    return out


def test_the_same_days_give_the_same_sources_however_split(
    simulated: dict[str, Any], advanced: Path, tmp_path: Path
) -> None:
    split = _copy(simulated, tmp_path / "sources")
    advance(split, days=1, progress=False)
    advance(split, days=DAYS - 1, progress=False)
    assert clock(split) == clock(advanced)
    entries = json.loads((split / BOOKKEEPING / "advances.json").read_text("utf-8"))
    assert [(e["from"], e["to"]) for e in entries] == [
        ("2024-12-31", "2025-01-01"),
        ("2025-01-01", "2025-01-04"),
    ]
    assert _sources_digest(split) == _sources_digest(advanced)


def test_the_registry_exports_at_the_month_end(simulated: dict[str, Any], tmp_path: Path) -> None:
    """Moved to 2025-01-31 on its own: the month's seven exports, the same whichever way."""
    digests = []
    for run in ("a", "b"):
        registry = tmp_path / run
        shutil.copytree(simulated["dir"] / "social_org_registry", registry)
        assert not registry_advance.advance_day(
            registry, date(2025, 1, 30), seed=SEED, scale=0.02, shared={}
        ).files
        log = registry_advance.advance_day(
            registry, date(2025, 1, 31), seed=SEED, scale=0.02, shared={}
        )
        assert sorted(log.files) == sorted(
            export_file_name(e, date(2025, 1, 31)) for e in EXPORT_COLUMNS
        )
        digests.append({name: read_export(registry / "drop" / name, entity).to_dict("split")
                        for entity in EXPORT_COLUMNS
                        for name in [export_file_name(entity, date(2025, 1, 31))]})  # fmt: skip
    assert digests[0] == digests[1]

    drop = tmp_path / "a" / "drop"
    december, january = (
        {e: read_export(list_exports(drop, e)[i], e) for e in EXPORT_COLUMNS} for i in (-2, -1)
    )
    orgs = january["organizations"]
    assert not orgs["统一社会信用代码"].duplicated().any()
    assert orgs["统一社会信用代码"].map(is_valid_credit_code).all()
    assert len(orgs) >= len(december["organizations"])
    # The year just ended is listed for annual inspection from the first export of the next.
    years = set(january["annual_inspections"]["年检年度"])
    assert "2024" in years and "2024" not in set(december["annual_inspections"]["年检年度"])
    moved = log.as_dict()
    assert moved["organizations"]["added"] + moved["organizations"]["changed"] > 0


# --- refusals and the command line -----------------------------------------------------------


def test_an_advance_stopped_part_way_is_refused(simulated: dict[str, Any], tmp_path: Path) -> None:
    books = tmp_path / BOOKKEEPING
    books.mkdir()
    summary = json.loads((simulated["dir"] / BOOKKEEPING / "summary.json").read_text("utf-8"))
    summary[UNFINISHED] = "2025-01-01"
    (books / "summary.json").write_text(json.dumps(summary), "utf-8")
    with pytest.raises(AdvanceError, match="part-way"):
        advance(tmp_path, days=1, progress=False)
    with pytest.raises(AdvanceError, match="minzheng simulate"):
        advance(tmp_path / "nowhere", days=1, progress=False)


def test_the_command_documents_both_forms_and_keeps_them_apart() -> None:
    runner = CliRunner()
    helped = runner.invoke(main, ["simulate", "--help"])
    assert helped.exit_code == 0
    assert "--reset" in helped.output and "advance" in helped.output
    assert "--days" in runner.invoke(main, ["simulate", "advance", "--help"]).output
    mixed = runner.invoke(main, ["simulate", "--scale", "0.1", "advance", "--days", "1"])
    assert mixed.exit_code == 2 and "--scale" in mixed.output

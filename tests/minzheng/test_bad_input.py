"""Bad input from the people who run it: refused before anything is touched, in one line, exit 2.

Every row runs the real CLI on a small data directory (simulated sources, a raw zone, a serving
file) and asserts the exit code, that the output is exactly one line saying what was wrong, and
that no file under the data directory changed (a hash of every file before and after).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from minzheng import cli, settings
from minzheng.locks import exclusive

MINZHENG = Path(sys.executable).with_name("minzheng")


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory as a run leaves it: sources, a raw batch, a serving file of two years."""
    root = tmp_path_factory.mktemp("bad-input") / "data"
    for system in ("smart_assistance", "elderly_care", "social_org_registry", "civil_registry"):
        (root / "sources" / system).mkdir(parents=True)
        (root / "sources" / system / "records.csv").write_text(f"{system}\n1\n", "utf-8")
    (root / "sources" / "_bookkeeping").mkdir()
    (root / "sources" / "_bookkeeping" / "summary.json").write_text("{}", "utf-8")
    (root / "raw" / "civil_registry" / "marriages").mkdir(parents=True)
    (root / "raw" / "civil_registry" / "marriages" / "b1.manifest.json").write_text("{}", "utf-8")
    (root / "serving").mkdir()
    with duckdb.connect(str(root / "serving" / "minzheng.duckdb")) as serving:
        serving.execute("create schema kpi")
        serving.execute(
            "create table kpi.kpi_progress as select cast(range as date) as period_month "
            "from range(date '2023-01-01', date '2025-01-01', interval 1 month)"
        )
    (root / ".run.lock").touch()
    return root


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


@dataclass(frozen=True)
class BadInput:
    label: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    # Words the one line must hold: the setting or option, the value, the accepted form.
    says: tuple[str, ...] = ()
    data: str = "copy"  # "copy" of the template, or "empty" (a folder with nothing in it)


BAD_INPUTS = [
    BadInput(
        "negative scale with --reset",
        ["simulate", "--scale", "-1", "--reset", "--no-progress"],
        says=("--scale", "'-1'", "a number above 0"),
    ),
    BadInput("scale 0", ["simulate", "--scale", "0"], says=("--scale", "'0'", "above 0")),
    BadInput("scale abc", ["simulate", "--scale", "abc"], says=("--scale", "'abc'", "a number")),
    BadInput(
        "scale beyond the machine",
        ["simulate", "--scale", "1000"],
        says=("--scale", "'1000'", "at most"),
    ),
    BadInput(
        "MINZHENG_SCALE=abc",
        ["simulate", "--no-progress"],
        env={"MINZHENG_SCALE": "abc"},
        says=("MINZHENG_SCALE", "'abc'", "a number above 0"),
    ),
    BadInput(
        "start after end",
        ["simulate", "--start", "2025-01-01", "--end", "2024-01-01"],
        says=("--start", "--end", "start <= end"),
    ),
    BadInput(
        "quarter 2024Q5",
        ["export", "--quarter", "2024Q5"],
        says=("--quarter", "'2024Q5'", "such as 2024Q4"),
    ),
    BadInput("quarter foo", ["export", "--quarter", "foo"], says=("--quarter", "'foo'", "2024Q4")),
    BadInput(
        "quarter before the data",
        ["export", "--quarter", "2020Q1"],
        says=("--quarter", "'2020Q1'", "2023Q1 to 2024Q4"),
    ),
    BadInput(
        "production without a PII key",
        ["run"],
        env={"MINZHENG_ENV": "production"},
        says=("MINZHENG_PII_KEY", "production", "a secret of its own"),
    ),
    BadInput(
        "production with the development key",
        ["run"],
        env={"MINZHENG_ENV": "production", "MINZHENG_PII_KEY": settings._DEV_PII_KEY},
        says=("MINZHENG_PII_KEY", "development key"),
    ),
    BadInput(
        "MINZHENG_ENV=staging",
        ["run"],
        env={"MINZHENG_ENV": "staging"},
        says=("MINZHENG_ENV", "'staging'", "dev or production"),
    ),
    BadInput(
        "data as-of not a date",
        ["run"],
        env={"MINZHENG_DATA_AS_OF": "not-a-date"},
        says=("MINZHENG_DATA_AS_OF", "'not-a-date'", "YYYY-MM-DD"),
    ),
    BadInput(
        "data as-of in the future",
        ["export", "--quarter", "2024Q4"],
        env={"MINZHENG_DATA_AS_OF": "2999-01-01"},
        says=("MINZHENG_DATA_AS_OF", "'2999-01-01'", "a date from"),
    ),
    BadInput(
        "memory limit lots",
        ["run"],
        env={"MINZHENG_DUCKDB_MEMORY_LIMIT": "lots"},
        says=("MINZHENG_DUCKDB_MEMORY_LIMIT", "'lots'", "50% or 8GB"),
    ),
    BadInput(
        "engine neither duckdb nor spark",
        ["run"],
        env={"MINZHENG_ENGINE": "postgres"},
        says=("MINZHENG_ENGINE", "'postgres'", "duckdb or spark"),
    ),
    BadInput(
        "API URL without a scheme",
        ["run"],
        env={"MINZHENG_SA_API_URL": "localhost:8701"},
        says=("MINZHENG_SA_API_URL", "'localhost:8701'", "a URL such as https://"),
    ),
    BadInput(
        "two bad settings at once",
        ["run"],
        env={"MINZHENG_DUCKDB_MEMORY_LIMIT": "lots", "MINZHENG_DATA_AS_OF": "soon"},
        says=("MINZHENG_DUCKDB_MEMORY_LIMIT", "MINZHENG_DATA_AS_OF"),
    ),
    BadInput("empty data dir: run", ["run"], data="empty", says=("MINZHENG_DATA_DIR", "simulate")),
    BadInput(
        "empty data dir: export",
        ["export", "--quarter", "2024Q4"],
        data="empty",
        says=("nothing published", "minzheng run"),
    ),
    BadInput(
        "empty data dir: advance",
        ["simulate", "advance", "--days", "1"],
        data="empty",
        says=("no simulated sources", "minzheng simulate"),
    ),
    BadInput(
        "empty data dir: rollback", ["rollback"], data="empty", says=("nothing to roll back",)
    ),
    BadInput("advance 0 days", ["simulate", "advance", "--days", "0"], says=("--days", "0")),
    BadInput("unknown option", ["run", "--fast"], says=("--fast",)),
]


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("MINZHENG_"):
            monkeypatch.delenv(name)


def invoke(args: list[str], env: dict[str, str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli.main, args, env=env)
    return result.exit_code, result.output.splitlines()


def assert_one_line(lines: list[str], says: tuple[str, ...]) -> None:
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: "), lines
    assert "Traceback" not in lines[0]
    for words in says:
        assert words in lines[0], (words, lines[0])


@pytest.mark.usefixtures("clean_environment")
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda bad: bad.label)
def test_bad_input_is_refused_in_one_line_and_touches_nothing(
    bad: BadInput, data_dir: Path, tmp_path: Path
) -> None:
    root = data_dir if bad.data == "copy" else tmp_path / "empty"
    root.mkdir(exist_ok=True)
    before = tree_hash(root)
    code, lines = invoke(bad.args, {"MINZHENG_DATA_DIR": str(root), **bad.env})
    assert code == 2, lines
    assert_one_line(lines, bad.says)
    assert tree_hash(root) == before


@pytest.mark.usefixtures("clean_environment")
def test_a_second_run_is_refused_while_one_holds_the_data_dir(data_dir: Path) -> None:
    before = tree_hash(data_dir)
    with exclusive(data_dir / ".run.lock", "a pipeline run"):
        for args in (["run"], ["simulate", "--scale", "0.01", "--reset"], ["rollback"]):
            code, lines = invoke(args, {"MINZHENG_DATA_DIR": str(data_dir)})
            assert code == 2, lines
            assert_one_line(lines, ("in use by another process", ".run.lock", "wait for it"))
    assert tree_hash(data_dir) == before


def _read_only(root: Path, command: list[str]) -> list[str]:
    """The command with the data dir read-only: permissions for a user, a read-only mount for
    root (whom permissions do not stop), in a mount namespace of its own."""
    if os.geteuid() != 0:
        root.chmod(0o555)
        return command
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        script,
        str(root),
        *command,
    ]


def test_a_read_only_data_dir_is_refused_by_the_installed_command(data_dir: Path) -> None:
    before = tree_hash(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINZHENG_")}
    env["MINZHENG_DATA_DIR"] = str(data_dir)
    try:
        done = subprocess.run(
            _read_only(data_dir, [str(MINZHENG), "run"]),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        data_dir.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert_one_line(done.stderr.splitlines(), ("MINZHENG_DATA_DIR", "not writable"))
    assert tree_hash(data_dir) == before


def test_debug_shows_the_traceback_of_a_bad_setting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINZHENG_")}
    env.update(MINZHENG_DATA_DIR=str(tmp_path), MINZHENG_DATA_AS_OF="not-a-date")
    plain = subprocess.run(
        [str(MINZHENG), "run"], env=env, capture_output=True, text=True, check=False
    )
    debug = subprocess.run(
        [str(MINZHENG), "--debug", "run"], env=env, capture_output=True, text=True, check=False
    )
    assert plain.returncode == 2
    assert_one_line(plain.stderr.splitlines(), ("MINZHENG_DATA_AS_OF",))
    assert "Traceback" in debug.stderr and "ConfigurationError" in debug.stderr


def test_dagster_definitions_fail_to_load_with_the_same_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from orchestration.definitions import build_definitions

    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MINZHENG_DUCKDB_MEMORY_LIMIT", "lots")
    _, lines = invoke(["run"], {})
    with pytest.raises(settings.ConfigurationError) as refused:
        build_definitions()
    assert lines == [f"Error: {refused.value}"]


@pytest.mark.usefixtures("clean_environment")
def test_a_failed_simulation_leaves_the_old_sources_as_they_were(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sources.simulate

    def dies_half_way(out_dir: Path, **_: object) -> dict[str, object]:
        (out_dir / "civil_registry").mkdir(parents=True)
        (out_dir / "civil_registry" / "half.csv").write_text("x", "utf-8")
        raise MemoryError("out of memory half way")

    monkeypatch.setattr(sources.simulate, "simulate", dies_half_way)
    before = tree_hash(data_dir)
    code, lines = invoke(
        ["simulate", "--scale", "0.01", "--reset"], {"MINZHENG_DATA_DIR": str(data_dir)}
    )
    assert code == 1
    assert_one_line(lines, ("MemoryError", "--debug"))
    assert tree_hash(data_dir) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [".run.lock", "raw", "serving", "sources"]


@pytest.mark.usefixtures("clean_environment")
def test_a_complete_simulation_is_swapped_in_and_reset_clears_the_raw_zone(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sources.simulate

    def builds(out_dir: Path, **_: object) -> dict[str, object]:
        (out_dir / "civil_registry").mkdir(parents=True)
        (out_dir / "civil_registry" / "new.csv").write_text("new", "utf-8")
        return {"counts": {"civil_registry": {"marriages": 1}}}

    monkeypatch.setattr(sources.simulate, "simulate", builds)
    code, lines = invoke(
        ["simulate", "--scale", "0.01", "--reset"], {"MINZHENG_DATA_DIR": str(data_dir)}
    )
    assert code == 0, lines
    assert [p.name for p in (data_dir / "sources").rglob("*")] == ["civil_registry", "new.csv"]
    assert not (data_dir / "raw").exists()
    assert sorted(p.name for p in data_dir.iterdir()) == [".run.lock", "serving", "sources"]

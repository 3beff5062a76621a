"""superset_config.py and the settings it reads: secrets, session, CSRF, locale, metadata path."""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path

import pytest

from minzheng import settings
from tests.superset.conftest import SUPERSET_DIR, SUPERSET_PYTHON, ensure_superset_environment

PROBE = """
import json, superset_config as c
print(json.dumps({
    "secret": c.SECRET_KEY, "csrf": c.WTF_CSRF_ENABLED,
    "lifetime_hours": c.PERMANENT_SESSION_LIFETIME.total_seconds() / 3600,
    "locale": c.BABEL_DEFAULT_LOCALE, "languages": sorted(c.LANGUAGES),
    "metadata": c.SQLALCHEMY_DATABASE_URI, "public_like": c.PUBLIC_ROLE_LIKE,
    "guest_role": c.GUEST_ROLE_NAME, "app_name": c.APP_NAME,
}))
"""


def _config(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    ensure_superset_environment()
    env = {"PATH": "/usr/bin:/bin", "MINZHENG_DATA_DIR": str(tmp_path), **environ}
    return subprocess.run(
        [str(SUPERSET_PYTHON), "-c", PROBE],
        cwd=SUPERSET_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_config_reads_the_environment(tmp_path: Path) -> None:
    result = _config(tmp_path, SUPERSET_SECRET_KEY="a-real-secret-from-the-vault")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["secret"] == "a-real-secret-from-the-vault"
    assert config["csrf"] is True
    assert 0 < config["lifetime_hours"] <= 8
    assert config["locale"] == "zh" and "zh" in config["languages"]
    assert config["metadata"] == f"sqlite:///{tmp_path / 'superset' / 'superset.db'}"
    assert config["public_like"] is None
    assert config["guest_role"] == "Public"
    assert config["app_name"] == "民政数据仓库"  # no serving file yet: no city to name


def test_the_app_is_named_after_the_city_of_the_serving_file(tmp_path: Path) -> None:
    import duckdb

    (tmp_path / "serving").mkdir()
    with duckdb.connect(str(tmp_path / "serving" / "minzheng.duckdb")) as connection:
        connection.execute(
            "create schema conformed; create table conformed.dim_region as select * from"
            " (values ('321000', '扬州市', 'city'), ('321002', '广陵区', 'county'))"
            " as t(region_code, region_name, region_level)"
        )
    result = _config(tmp_path, SUPERSET_SECRET_KEY="a-real-secret-from-the-vault")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["app_name"] == "扬州市民政数据仓库"


def test_config_refuses_default_or_empty_secret_in_production(tmp_path: Path) -> None:
    for key in ("", "CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET"):
        result = _config(tmp_path, MINZHENG_ENV="production", SUPERSET_SECRET_KEY=key)
        assert result.returncode != 0
        assert "SUPERSET_SECRET_KEY" in result.stderr


def test_development_gets_an_ephemeral_key_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SUPERSET_SECRET_KEY", "MINZHENG_SUPERSET_SECRET_KEY"):
        monkeypatch.setenv(name, "")  # restored after the test, even though settings set it
        monkeypatch.delenv(name)
    monkeypatch.setenv("MINZHENG_ENV", "dev")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        key = settings.superset_secret_key()
    assert len(key) >= 32
    assert any("ephemeral" in str(w.message) for w in caught)
    # The processes started from here share it.
    assert settings.superset_secret_key() == key


def test_production_refuses_the_development_admin_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINZHENG_ENV", "production")
    monkeypatch.delenv("MINZHENG_SUPERSET_ADMIN_PASSWORD", raising=False)
    with pytest.raises(settings.ConfigurationError):
        settings.superset_admin()


def test_production_refuses_a_short_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINZHENG_ENV", "production")
    monkeypatch.delenv("MINZHENG_SUPERSET_SECRET_KEY", raising=False)
    monkeypatch.setenv("SUPERSET_SECRET_KEY", "x" * 31)
    with pytest.raises(settings.ConfigurationError, match="32"):
        settings.superset_secret_key()
    monkeypatch.setenv("SUPERSET_SECRET_KEY", "x" * 32)
    assert settings.superset_secret_key() == "x" * 32


@pytest.mark.parametrize("password", ["admin", "Superset", "changeme", "short-pass1", "password"])
def test_production_refuses_a_default_or_short_admin_password(
    monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("MINZHENG_ENV", "production")
    monkeypatch.setenv("MINZHENG_SUPERSET_ADMIN_PASSWORD", password)
    with pytest.raises(settings.ConfigurationError, match="12"):
        settings.superset_admin()


def test_production_accepts_a_long_admin_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINZHENG_ENV", "production")
    monkeypatch.setenv("MINZHENG_SUPERSET_ADMIN_USER", "bureau-admin")
    monkeypatch.setenv("MINZHENG_SUPERSET_ADMIN_PASSWORD", "a-long-vault-password")
    assert settings.superset_admin() == ("bureau-admin", "a-long-vault-password")

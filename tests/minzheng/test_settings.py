from __future__ import annotations

import pytest

from minzheng import settings


def test_production_refuses_a_missing_or_development_pii_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINZHENG_ENV", "production")
    monkeypatch.delenv("MINZHENG_PII_KEY", raising=False)
    with pytest.raises(settings.ConfigurationError, match="must be set"):
        settings.pii_key()
    monkeypatch.setenv("MINZHENG_PII_KEY", settings._DEV_PII_KEY)
    with pytest.raises(settings.ConfigurationError, match="development key"):
        settings.pii_key()
    monkeypatch.setenv("MINZHENG_PII_KEY", "a-real-secret-from-the-vault")
    assert settings.pii_key() == b"a-real-secret-from-the-vault"


def test_development_warns_about_its_default_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINZHENG_ENV", raising=False)
    monkeypatch.delenv("MINZHENG_PII_KEY", raising=False)
    with pytest.warns(UserWarning, match="development key"):
        assert settings.pii_key()


def test_paths_follow_the_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    paths = settings.paths()
    assert paths.serving == paths.root / "serving" / "minzheng.duckdb"
    assert paths.raw.parent == paths.root

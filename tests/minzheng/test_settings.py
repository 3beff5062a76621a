from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

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


def test_the_city_profile_is_a_folder_with_seeds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MINZHENG_CITY_PROFILE", raising=False)
    assert settings.city_profile_dir() == settings.PROJECT_ROOT / "city_profiles" / "taizhou"
    assert settings.dbt_seed_path() == "../city_profiles/taizhou/seeds"
    monkeypatch.setenv("MINZHENG_CITY_PROFILE", str(tmp_path))
    with pytest.raises(
        settings.ConfigurationError, match=r"MINZHENG_CITY_PROFILE=.*seeds/ref_counties"
    ):
        settings.city_profile_dir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "ref_counties.csv").write_text("region_code\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setenv("MINZHENG_CITY_PROFILE", tmp_path.name)  # relative to where it is run
    assert settings.city_profile_dir() == tmp_path.resolve()
    # dbt gets the seeds relative to its project: it writes each seed's SQL at the seed's path
    # under target/, which an absolute path would turn into the CSV itself.
    relative = settings.dbt_seed_path()
    assert not Path(relative).is_absolute()
    assert (settings.DBT_PROJECT_DIR / relative).resolve() == (tmp_path / "seeds").resolve()


def test_the_dbt_project_reads_the_seeds_where_settings_says() -> None:
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text("utf-8"))
    default = re.search(r"env_var\('MINZHENG_CITY_SEEDS', '([^']+)'\)", project["seed-paths"][0])
    assert default is not None
    assert (settings.DBT_PROJECT_DIR / default.group(1)).resolve() == (
        settings.PROJECT_ROOT / "city_profiles" / "taizhou" / "seeds"
    )

"""The one place that reads the environment.

Everything else asks these functions; nothing else calls ``os.environ`` for configuration.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# A development key lets a newcomer run everything at once; production refuses it.
_DEV_PII_KEY = "minzheng-development-only-pseudonymisation-key"


class ConfigurationError(RuntimeError):
    """The environment does not allow this run (e.g. a default secret in production)."""


def is_production() -> bool:
    return os.environ.get("MINZHENG_ENV", "dev").lower() in {"prod", "production"}


def data_dir() -> Path:
    return Path(os.environ.get("MINZHENG_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def scale() -> float:
    return float(os.environ.get("MINZHENG_SCALE", "1.0"))


def pii_key() -> bytes:
    """The secret for person_key = HMAC-SHA256(key, normalised ID)."""
    key = os.environ.get("MINZHENG_PII_KEY", "")
    if key:
        if is_production() and key == _DEV_PII_KEY:
            raise ConfigurationError("MINZHENG_PII_KEY is the development key; set a real secret")
        return key.encode("utf-8")
    if is_production():
        raise ConfigurationError("MINZHENG_PII_KEY must be set in production mode")
    warnings.warn(
        "MINZHENG_PII_KEY is not set: using the development key (never in production)",
        stacklevel=2,
    )
    return _DEV_PII_KEY.encode("utf-8")


def duckdb_memory_limit() -> str:
    """DuckDB's memory_limit for the warehouse build and publish: half the machine by default.

    Dagster, dbt's Python and the source clients share the machine, and DuckDB allocates some
    memory outside its limit; its out-of-memory guide suggests 50-60 % rather than its own 80 %.
    A value DuckDB accepts ('50%', '8GB') in MINZHENG_DUCKDB_MEMORY_LIMIT overrides it.
    """
    return os.environ.get("MINZHENG_DUCKDB_MEMORY_LIMIT", "50%")


@dataclass(frozen=True)
class Paths:
    """Where each layer lives under the data directory (see docs/sources_and_raw_zone.md)."""

    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def serving_dir(self) -> Path:
        return self.root / "serving"

    @property
    def serving(self) -> Path:
        return self.serving_dir / "minzheng.duckdb"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    @property
    def history(self) -> Path:
        return self.root / "history"

    @property
    def alerts(self) -> Path:
        return self.root / "alerts"

    @property
    def dbt_runs(self) -> Path:
        """One dbt target folder per warehouse build (compiled SQL, run_results), newest kept."""
        return self.root / "dbt_runs"


def paths() -> Paths:
    return Paths(data_dir())


@dataclass(frozen=True)
class SourceAccess:
    """How the extract code reaches each source system; defaults point at the simulators."""

    smart_assistance_url: str
    smart_assistance_token: str
    elderly_care_url: str
    registry_drop_dir: Path
    civil_inbox_dir: Path


def source_access() -> SourceAccess:
    sources = paths().sources
    return SourceAccess(
        smart_assistance_url=os.environ.get("MINZHENG_SA_API_URL", ""),
        smart_assistance_token=os.environ.get("MINZHENG_SA_API_TOKEN", ""),
        elderly_care_url=os.environ.get(
            "MINZHENG_ELDERLY_CARE_URL",
            f"sqlite:///{sources / 'elderly_care' / 'elderly_care.sqlite'}",
        ),
        registry_drop_dir=Path(
            os.environ.get("MINZHENG_REGISTRY_DROP_DIR", sources / "social_org_registry" / "drop")
        ),
        civil_inbox_dir=Path(
            os.environ.get("MINZHENG_CIVIL_INBOX_DIR", sources / "civil_registry" / "inbox")
        ),
    )


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / ".dagster")).resolve()


def data_as_of() -> date:
    """The date the figures are stated as of (序时进度 and the KPI month grid are bounded by it)."""
    value = os.environ.get("MINZHENG_DATA_AS_OF")
    return date.fromisoformat(value) if value else date.today()


def export_environment() -> None:
    """Pass the resolved locations on to subprocesses (dbt resolves relative paths elsewhere)."""
    os.environ["MINZHENG_DATA_DIR"] = str(data_dir())
    os.environ["DAGSTER_HOME"] = str(dagster_home())


# --- Superset serving layer (superset/superset_config.py loads this file by path) -----------------

# Secrets that ship in Superset's docs and examples: never acceptable as a real key.
_KNOWN_SUPERSET_KEYS = frozenset(
    {
        "",
        "CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET",
        "TEST_NON_DEV_SECRET",
        "thisISaSECRET_1234",
        "\2\1thisismyscretkey\1\2\\e\\y\\y\\h",
    }
)


def superset_dir() -> Path:
    """Superset's own state (metadata DB, cache, logs): ``$MINZHENG_DATA_DIR/superset``."""
    return Path(os.environ.get("MINZHENG_SUPERSET_HOME", data_dir() / "superset")).resolve()


def superset_metadata_url() -> str:
    """Superset's metadata database; SQLite under superset_dir() unless told otherwise."""
    default = f"sqlite:///{superset_dir() / 'superset.db'}"
    return os.environ.get("MINZHENG_SUPERSET_METADATA_URL", default)


def superset_secret_key() -> str:
    """Superset's SECRET_KEY: from the environment; production refuses a default or empty one.

    In development an ephemeral key is generated (with a warning) and put into this process's
    environment, so that the Superset processes started from here share it.
    """
    key = os.environ.get("SUPERSET_SECRET_KEY") or os.environ.get(
        "MINZHENG_SUPERSET_SECRET_KEY", ""
    )
    if key and key not in _KNOWN_SUPERSET_KEYS:
        return key
    if is_production():
        raise ConfigurationError(
            "SUPERSET_SECRET_KEY (or MINZHENG_SUPERSET_SECRET_KEY) must be set to a real secret "
            "in production mode"
        )
    import secrets

    key = secrets.token_urlsafe(48)
    os.environ["MINZHENG_SUPERSET_SECRET_KEY"] = key
    warnings.warn(
        "SUPERSET_SECRET_KEY is not set: using an ephemeral key (sessions end on restart; "
        "never in production)",
        stacklevel=2,
    )
    return key


def superset_admin() -> tuple[str, str]:
    """(user, password) of the Superset admin; production refuses the development password."""
    user = os.environ.get("MINZHENG_SUPERSET_ADMIN_USER", "admin")
    password = os.environ.get("MINZHENG_SUPERSET_ADMIN_PASSWORD", "")
    if not password:
        if is_production():
            raise ConfigurationError("MINZHENG_SUPERSET_ADMIN_PASSWORD must be set in production")
        warnings.warn(
            "MINZHENG_SUPERSET_ADMIN_PASSWORD is not set: using the development password 'admin'",
            stacklevel=2,
        )
        password = "admin"
    return user, password

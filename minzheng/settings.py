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

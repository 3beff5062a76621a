"""The one place that reads the environment.

Everything else asks these functions; nothing else calls ``os.environ`` for configuration.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# The warehouse build of a run (and the bench's bare build beside it): models, seeds and data
# tests. dbt's unit tests prove the SQL on hand-made rows, in `make test` (tests/warehouse), not on
# every night's data.
WAREHOUSE_BUILD_EXCLUDES = ("--exclude-resource-type", "unit_test")

# A development key lets a newcomer run everything at once; production refuses it.
_DEV_PII_KEY = "minzheng-development-only-pseudonymisation-key"


# The simulator holds about this much memory per unit of scale (docs/sources_and_raw_zone.md).
SIMULATION_BYTES_PER_SCALE = int(3.8 * 2**30)
_ENVIRONMENTS = {"dev": False, "development": False, "prod": True, "production": True}
# What DuckDB's memory_limit accepts: a percentage of the machine or a size with a unit.
_MEMORY_LIMIT = re.compile(r"^\s*\d+(\.\d+)?\s*(%|[KMGT]i?B|B)\s*$", re.IGNORECASE)


class ConfigurationError(RuntimeError):
    """The environment does not allow this run (e.g. a default secret in production).

    The message is one line naming the setting, the value and the accepted form.
    """


def _refuse(name: str, value: str, accepted: str) -> ConfigurationError:
    return ConfigurationError(f"{name}={value!r} is not valid: expected {accepted}")


def is_production() -> bool:
    value = os.environ.get("MINZHENG_ENV", "dev")
    if value.lower() not in _ENVIRONMENTS:
        raise _refuse("MINZHENG_ENV", value, "dev or production")
    return _ENVIRONMENTS[value.lower()]


def data_dir() -> Path:
    return Path(os.environ.get("MINZHENG_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def city_profile_dir() -> Path:
    """The city profile: the folder of data that picks the city (README, "A city profile").

    ``seeds/`` holds the warehouse's reference data and plan (dbt's seeds, dbt_seed_path),
    ``simulation/`` the simulated source systems' calibration."""
    given = os.environ.get("MINZHENG_CITY_PROFILE")
    folder = Path(given).resolve() if given else PROJECT_ROOT / "city_profiles" / "taizhou"
    if not (folder / "seeds" / "ref_counties.csv").is_file():
        raise _refuse(
            "MINZHENG_CITY_PROFILE",
            str(given or folder),
            "a city profile folder holding seeds/ref_counties.csv (city_profiles/taizhou)",
        )
    return folder


def dbt_seed_path() -> str:
    """The city profile's seeds relative to the dbt project (dbt_project.yml's seed-paths)."""
    return os.path.relpath(city_profile_dir() / "seeds", DBT_PROJECT_DIR)


def max_scale() -> float:
    """The largest simulation this machine holds in memory (with a quarter of it to spare)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return round(0.75 * total / SIMULATION_BYTES_PER_SCALE, 2)


def check_scale(text: str, name: str = "MINZHENG_SCALE") -> float:
    """A scale the simulator can build here: a number above 0 and within the machine's memory."""
    accepted = f"a number above 0 and at most {max_scale()} on this machine (1.0 = a city-year)"
    try:
        value = float(text)
    except ValueError:
        raise _refuse(name, text, accepted) from None
    if not 0 < value <= max_scale():
        raise _refuse(name, text, accepted)
    return value


def scale() -> float:
    return check_scale(os.environ.get("MINZHENG_SCALE", "1.0"))


def pii_key() -> bytes:
    """The secret for person_key = HMAC-SHA256(key, normalised ID)."""
    key = os.environ.get("MINZHENG_PII_KEY", "")
    if key:
        if is_production() and key == _DEV_PII_KEY:
            raise ConfigurationError(
                "MINZHENG_PII_KEY is the development key: production mode (MINZHENG_ENV="
                "production) expects a secret of its own"
            )
        return key.encode("utf-8")
    if is_production():
        raise ConfigurationError(
            "MINZHENG_PII_KEY must be set in production mode (MINZHENG_ENV=production): "
            "expected a secret of its own"
        )
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
    value = os.environ.get("MINZHENG_DUCKDB_MEMORY_LIMIT", "50%")
    if not _MEMORY_LIMIT.match(value):
        raise _refuse(
            "MINZHENG_DUCKDB_MEMORY_LIMIT", value, "a percentage or a size, e.g. 50% or 8GB"
        )
    return value.strip()


ENGINES = ("duckdb", "spark")


def engine() -> str:
    """The warehouse engine: ``duckdb`` (one machine) or ``spark`` (docs/spark.md).

    Either builds the same tables into the DuckDB build file, which checks and publish read.
    """
    value = os.environ.get("MINZHENG_ENGINE", "duckdb")
    if value.strip().lower() not in ENGINES:
        raise _refuse("MINZHENG_ENGINE", value, " or ".join(ENGINES))
    return value.strip().lower()


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
    def logs(self) -> Path:
        """One log file per `minzheng run`: dbt's output and the run's own, not the terminal's."""
        return self.root / "logs"

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
    if not value:
        return date.today()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _refuse("MINZHENG_DATA_AS_OF", value, "a date as YYYY-MM-DD") from None
    if not date(2000, 1, 1) <= day <= date.today():
        raise _refuse("MINZHENG_DATA_AS_OF", value, f"a date from 2000-01-01 to {date.today()}")
    return day


def _check_url(name: str, schemes: str) -> Callable[[], None]:
    def check() -> None:
        value = os.environ.get(name, "")
        if not value:
            return
        parts = urlsplit(value)
        scheme = parts.scheme.split("+")[0]
        if not re.fullmatch(schemes, scheme) or not (parts.netloc or parts.path):
            raise _refuse(name, value, f"a URL such as {schemes.split('|')[0]}://host/...")

    return check


def _check_pii_key() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pii_key()


def validate() -> None:
    """Check every setting the pipeline reads, at once, before anything is touched.

    Raises ConfigurationError with one line listing each problem (setting, value, accepted form).
    """
    checks: list[Callable[[], object]] = [
        is_production,
        scale,
        data_as_of,
        duckdb_memory_limit,
        engine,
        _check_url("MINZHENG_SA_API_URL", "https|http"),
        _check_url("MINZHENG_ELDERLY_CARE_URL", r"sqlite|postgresql|mysql|mssql|oracle|duckdb"),
        _check_pii_key,
    ]
    problems = []
    for check in checks:
        try:
            check()
        except ConfigurationError as error:
            problems.append(str(error))
    if problems:
        raise ConfigurationError("; ".join(dict.fromkeys(problems)))


def export_environment() -> None:
    """Pass the resolved locations on to subprocesses (dbt resolves relative paths elsewhere)."""
    os.environ["MINZHENG_DATA_DIR"] = str(data_dir())
    os.environ["DAGSTER_HOME"] = str(dagster_home())
    os.environ["MINZHENG_CITY_PROFILE"] = str(city_profile_dir())
    os.environ["MINZHENG_CITY_SEEDS"] = dbt_seed_path()


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
# Production minimums: a session key an attacker cannot brute-force, an admin password that is
# neither short nor one of the passwords every Superset guide prints.
SUPERSET_SECRET_KEY_MIN_LENGTH = 32
SUPERSET_ADMIN_PASSWORD_MIN_LENGTH = 12
_KNOWN_ADMIN_PASSWORDS = frozenset(
    {"admin", "administrator", "password", "superset", "changeme", "admin123", "12345678"}
)


def superset_dir() -> Path:
    """Superset's own state (metadata DB, cache, logs): ``$MINZHENG_DATA_DIR/superset``."""
    return Path(os.environ.get("MINZHENG_SUPERSET_HOME", data_dir() / "superset")).resolve()


def superset_metadata_url() -> str:
    """Superset's metadata database; SQLite under superset_dir() unless told otherwise."""
    default = f"sqlite:///{superset_dir() / 'superset.db'}"
    return os.environ.get("MINZHENG_SUPERSET_METADATA_URL", default)


def superset_secret_key() -> str:
    """Superset's SECRET_KEY: from the environment; production refuses a default, empty or short
    (under 32 characters) one.

    In development an ephemeral key is generated (with a warning) and put into this process's
    environment, so that the Superset processes started from here share it.
    """
    key = os.environ.get("SUPERSET_SECRET_KEY") or os.environ.get(
        "MINZHENG_SUPERSET_SECRET_KEY", ""
    )
    if is_production() and (
        key in _KNOWN_SUPERSET_KEYS or len(key) < SUPERSET_SECRET_KEY_MIN_LENGTH
    ):
        raise ConfigurationError(
            "SUPERSET_SECRET_KEY (or MINZHENG_SUPERSET_SECRET_KEY) must be set to a real secret "
            f"of at least {SUPERSET_SECRET_KEY_MIN_LENGTH} characters in production mode"
        )
    if key and key not in _KNOWN_SUPERSET_KEYS:
        return key
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
    """(user, password) of the Superset admin; production refuses a missing, known-default or
    short (under 12 characters) password."""
    user = os.environ.get("MINZHENG_SUPERSET_ADMIN_USER", "admin")
    password = os.environ.get("MINZHENG_SUPERSET_ADMIN_PASSWORD", "")
    if is_production() and (
        password.lower() in _KNOWN_ADMIN_PASSWORDS
        or password.lower() == user.lower()
        or len(password) < SUPERSET_ADMIN_PASSWORD_MIN_LENGTH
    ):
        raise ConfigurationError(
            "MINZHENG_SUPERSET_ADMIN_PASSWORD must be set in production to a password of at least "
            f"{SUPERSET_ADMIN_PASSWORD_MIN_LENGTH} characters that is not a known default"
        )
    if not password:
        warnings.warn(
            "MINZHENG_SUPERSET_ADMIN_PASSWORD is not set: using the development password 'admin'",
            stacklevel=2,
        )
        password = "admin"
    return user, password

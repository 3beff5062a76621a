"""Paths and the environment of the Superset processes, from the project's settings module."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

SUPERSET_DIR = Path(__file__).resolve().parent.parent
PROJECT_ROOT = SUPERSET_DIR.parent
ASSETS_DIR = SUPERSET_DIR / "assets"
SEMANTIC_LAYER = PROJECT_ROOT / "dbt_project" / "metrics" / "semantic_layer.yml"
DBT_MODELS = PROJECT_ROOT / "dbt_project" / "models"


def settings() -> ModuleType:
    """minzheng/settings.py, loaded by path (this environment does not install the pipeline)."""
    name = "_minzheng_settings"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "minzheng" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def serving_file() -> Path:
    return settings().paths().serving


# The product's name without a city, until a serving file says which city it serves.
PRODUCT_NAME = "民政数据仓库"


def app_name() -> str:
    """The name readers see (title bar, no-access page): the city of the served figures (its
    dim_region row), so another city's bureau sees its own name with no code change."""
    import duckdb

    try:
        with duckdb.connect(str(serving_file()), read_only=True) as connection:
            row = connection.execute(
                "select region_name from conformed.dim_region where region_level = 'city'"
            ).fetchone()
    except (duckdb.Error, OSError):  # no serving file yet: the name without a city
        return PRODUCT_NAME
    return f"{row[0]}{PRODUCT_NAME}" if row else PRODUCT_NAME


def superset_home() -> Path:
    return settings().superset_dir()


def process_env() -> dict[str, str]:
    """The environment for superset CLI / gunicorn children: config path, one shared key."""
    settings().superset_secret_key()  # fails in production without a key; else shares one
    env = dict(os.environ)
    env["SUPERSET_CONFIG_PATH"] = str(SUPERSET_DIR / "superset_config.py")
    env["FLASK_APP"] = "superset.app:create_app()"
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(SUPERSET_DIR), env.get("PYTHONPATH", "")) if p
    )
    env.setdefault("SUPERSET_LOAD_EXAMPLES", "no")
    return env


def superset_bin() -> str:
    return str(Path(sys.executable).with_name("superset"))

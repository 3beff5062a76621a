"""Superset configuration of the Minzheng serving layer.

Everything secret or machine-specific comes from the environment, through the project's one
settings module (minzheng/settings.py, loaded by path: this environment does not install the
pipeline package). Superset finds this file through SUPERSET_CONFIG_PATH, which
``python -m minzheng_superset`` sets.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _load_settings():  # type: ignore[no-untyped-def]
    name = "_minzheng_settings"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE.parent / "minzheng" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


settings = _load_settings()
_home = settings.superset_dir()
_home.mkdir(parents=True, exist_ok=True)

# --- secrets and metadata -------------------------------------------------------------------------
SECRET_KEY = settings.superset_secret_key()
SQLALCHEMY_DATABASE_URI = settings.superset_metadata_url()
SQLALCHEMY_TRACK_MODIFICATIONS = False

# --- web security ---------------------------------------------------------------------------------
WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = 8 * 60 * 60
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = settings.is_production()
# Public (anonymous) sees nothing: no role is copied onto it, and superset init leaves it empty.
AUTH_ROLE_PUBLIC = "Public"
PUBLIC_ROLE_LIKE = None
# Embedding is off; the guest role would be Public, which holds no permission.
GUEST_ROLE_NAME = "Public"
FAB_ADD_SECURITY_API = True
RATELIMIT_STORAGE_URI = "memory://"
# Nobody uploads files or writes through the serving connection.
PREVENT_UNSAFE_DB_CONNECTIONS = True


def FLASK_APP_MUTATOR(app):  # type: ignore[no-untyped-def]  # Superset reads this name
    """The corrected zh language pack, and a Chinese no-access page for a user with no data role."""
    from minzheng_superset import access, language

    language.install(app)
    access.install(app)


# --- language -------------------------------------------------------------------------------------
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "简体中文"},
    "en": {"flag": "us", "name": "English"},
}
from minzheng_superset.env import app_name  # noqa: E402  (needs HERE on sys.path)

# The city of the served figures (dim_region), so another bureau sees its own name.
APP_NAME = app_name()

# --- caches ---------------------------------------------------------------------------------------
# Chart data is cached on disk, keyed by the identity of the serving file: publish swaps the file
# (os.replace), the key changes, and no reader gets figures of the replaced file.
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "minzheng_superset.cache.ServingFileCache",
    "CACHE_DIR": str(_home / "cache" / "data"),
    "CACHE_DEFAULT_TIMEOUT": 24 * 60 * 60,
    "CACHE_THRESHOLD": 5000,
    "CACHE_KEY_PREFIX": "minzheng_data",
}
CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 300,
    "CACHE_KEY_PREFIX": "minzheng_meta",
}

FEATURE_FLAGS = {
    "DASHBOARD_RBAC": False,
    "EMBEDDED_SUPERSET": False,
    "ALERT_REPORTS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    # Render every chart of a dashboard (screenshots, print) rather than only those in view.
    "DASHBOARD_VIRTUALIZATION": False,
}
SQLLAB_CTAS_NO_LIMIT = False
ROW_LIMIT = 5000
SUPERSET_WEBSERVER_TIMEOUT = 60
# Thumbnails and reports would need a worker; the dashboards are read live.
THUMBNAILS_ENABLED = False

"""Idempotent bootstrap: metadata DB, admin, init, read-only connection, assets, roles, RLS.

Run it as often as you like: every object is upserted by a stable name or UUID.
"""

from __future__ import annotations

import os
import time
from typing import Any

from minzheng_superset import env
from minzheng_superset.bundle import Bundle
from minzheng_superset.inputs import district_code

LEADERSHIP_ROLE = "市领导"
KPI_TABLE = "kpi_progress"
CITY_ROWS = "+全市"  # marks a filter that lets the city's rows through
DISTRICT_ROLE_PREFIX = "区县-"
# The zh language pack: without it Superset's own texts (menus, tables, messages) stay English.
LANGUAGE_PACK = ("can_language_pack", "Superset")
# What a dashboard reader needs, on top of data access: read dashboards, charts, datasets. Not
# ("can_read", "Database"): it opens table_metadata and select_star, the serving file's columns
# and sample rows outside row-level security.
READER_PERMISSIONS = {
    LANGUAGE_PACK,
    ("can_read", "Dashboard"),
    ("can_read", "Chart"),
    ("can_read", "Dataset"),
    ("can_read", "DashboardFilterStateRestApi"),
    ("can_write", "DashboardFilterStateRestApi"),
    ("can_read", "DashboardPermalinkRestApi"),
    ("can_read", "ExploreFormDataRestApi"),
    ("can_write", "ExploreFormDataRestApi"),
    ("can_read", "Explore"),
    ("can_explore", "Superset"),
    ("can_explore_json", "Superset"),
    ("can_dashboard", "Superset"),
    ("can_slice", "Superset"),
    ("can_read", "CurrentUserRestApi"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_userinfo", "UserDBModelView"),
    ("can_time_range", "Api"),
    ("can_query_form_data", "Api"),
    ("can_query", "Api"),
    ("can_read", "SecurityRestApi"),
    ("can_read", "AdvancedDataType"),
    ("can_read", "Tag"),
    ("can_recent_activity", "Log"),
    ("can_read", "Log"),
    ("can_read", "Theme"),
    ("menu_access", "Dashboards"),
    ("menu_access", "Charts"),
}


def log(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def bootstrap() -> dict[str, float]:
    """Everything in one process (each `superset` CLI start costs several seconds)."""
    timings: dict[str, float] = {}
    serving = env.serving_file()
    if not serving.exists():
        raise SystemExit(f"no serving file at {serving}: run `minzheng run` first")
    os.environ.update(env.process_env())  # config path and one shared SECRET_KEY
    env.superset_home().mkdir(parents=True, exist_ok=True)

    t = time.monotonic()
    from superset.app import create_app

    app = create_app()
    timings["app"] = time.monotonic() - t
    with app.app_context():
        t = time.monotonic()
        _upgrade_metadata(app)
        timings["db_upgrade"] = time.monotonic() - t

        t = time.monotonic()
        from superset import appbuilder, db, security_manager

        appbuilder.add_permissions(update_perms=True)  # what `superset init` does
        security_manager.sync_role_definitions()
        db.session.commit()
        timings["init"] = time.monotonic() - t
        log(f"metadata at head, roles synced ({timings['db_upgrade'] + timings['init']:.1f}s)")

        t = time.monotonic()
        configure()
        timings["configure"] = time.monotonic() - t
    return timings


def _upgrade_metadata(app: Any) -> None:
    """`superset db upgrade`, skipped when the metadata DB is already at the head revision."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade
    from superset import db

    directory = app.extensions["migrate"].directory
    config = app.extensions["migrate"].migrate.get_config(directory)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        upgrade(directory=directory)
        log("metadata DB upgraded")


def configure() -> None:
    """Admin, assets, roles, row-level security, Public emptied (inside an app context)."""
    from superset import db, security_manager
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.models.core import Database
    from superset.utils.core import override_user

    user, password = env.settings().superset_admin()
    _admin(security_manager, db, user, password)

    bundle = Bundle(env.serving_file())
    with override_user(security_manager.find_user(username=user)):
        ImportAssetsCommand(bundle.files()).run()
    log(
        f"imported {len(bundle.datasets)} datasets, {len(bundle.charts())} charts, "
        f"{len(bundle.dashboards)} dashboards"
    )
    _prune(db, bundle)

    name = bundle.database_name
    database = db.session.query(Database).filter_by(database_name=name).one()
    datasets = db.session.query(SqlaTable).filter_by(database_id=database.id).all()
    data_perms = [("database_access", database.perm)]
    data_perms += [
        ("schema_access", p) for p in sorted({ds.schema_perm for ds in datasets} - {None})
    ]
    roles: dict[str, str | None] = {LEADERSHIP_ROLE: None}
    roles.update({f"{DISTRICT_ROLE_PREFIX}{d.name}": d.code for d in bundle.served.districts})
    for role_name in roles:
        _reader_role(security_manager, db, role_name, data_perms)
    _row_level_security(db, security_manager, RowLevelSecurityFilter, datasets, roles)
    # Public (anonymous, and a user without a data role) reads only the language pack: the login
    # and no-access pages are Chinese, and nothing else is open.
    public = security_manager.find_role("Public")
    if public is not None:
        language_pack = security_manager.find_permission_view_menu(*LANGUAGE_PACK)
        public.permissions = [language_pack] if language_pack is not None else []
    db.session.commit()
    log(f"roles: {', '.join(roles)}; Public reads only the language pack")


def _admin(security_manager: Any, db: Any, user: str, password: str) -> None:
    from werkzeug.security import check_password_hash, generate_password_hash

    admin_role = security_manager.find_role("Admin")
    existing = security_manager.find_user(username=user)
    if existing is None:
        security_manager.add_user(
            user, "Minzheng", "Admin", f"{user}@minzheng.invalid", admin_role, password=password
        )
        log(f"admin user {user} created")
        return
    if not check_password_hash(existing.password, password):
        existing.password = generate_password_hash(password)
    if admin_role not in existing.roles:
        existing.roles.append(admin_role)
    existing.active = True
    db.session.commit()


def _prune(db: Any, bundle: Bundle) -> None:
    """Drop charts and datasets of ours that the bundle no longer holds (a KPI or mart removed)."""
    from superset.connectors.sqla.models import SqlaTable
    from superset.models.core import Database
    from superset.models.slice import Slice

    keep = {chart.uuid for chart in bundle.charts()}
    keep_ds = {ds.uuid for ds in bundle.datasets.values()}
    database = db.session.query(Database).filter_by(database_name=bundle.database_name).one()
    for ds in db.session.query(SqlaTable).filter_by(database_id=database.id).all():
        for chart in db.session.query(Slice).filter_by(datasource_id=ds.id).all():
            if str(chart.uuid) not in keep:
                db.session.delete(chart)
        if str(ds.uuid) not in keep_ds:
            db.session.delete(ds)
    db.session.commit()


def _reader_role(
    security_manager: Any, db: Any, role_name: str, data_perms: list[tuple[str, str]]
) -> None:
    role = security_manager.find_role(role_name) or security_manager.add_role(role_name)
    wanted = []
    for permission, view in [*READER_PERMISSIONS, *data_perms]:
        pvm = security_manager.find_permission_view_menu(permission, view)
        if pvm is None and (permission, view) in data_perms:
            pvm = security_manager.add_permission_view_menu(permission, view)
        if pvm is not None:
            wanted.append(pvm)
    role.permissions = wanted
    db.session.commit()


def _row_level_security(
    db: Any, security_manager: Any, rls_model: Any, datasets: list[Any], roles: dict[str, Any]
) -> None:
    """One filter per district role and region column: rows outside the district never leave.

    The KPI table also shows a district the city's rows, and a city-scope fact table (all rows at
    one place, such as the city funeral home) shows it whole: city-scope KPIs read as the city figure (全市指标), never as an empty chart, and a
    city total is public to every official.
    """
    by_column: dict[str, list[Any]] = {}
    for ds in datasets:
        extra = ds.extra_dict or {}
        column = extra.get("minzheng_region_column") or ""
        if extra.get("minzheng_city_rows") and column:
            column = f"{column}{CITY_ROWS}{KPI_TABLE if ds.table_name == KPI_TABLE else ''}"
        by_column.setdefault(column, []).append(ds)
    wanted_names = set()
    for role_name, code in roles.items():
        if code is None:
            continue
        role = security_manager.find_role(role_name)
        for column, tables in by_column.items():
            name = f"{role_name}·{column or '无区划列'}"
            wanted_names.add(name)
            region, city_rows, table = column.partition(CITY_ROWS)
            clause = f"{district_code(region)} = '{code}'" if column else "1 = 0"
            if table == KPI_TABLE:  # the city's own rows
                clause = f"({clause} or region_level = 'city')"
            elif city_rows:  # a city-scope fact table: all of it
                clause = "1 = 1"
            rls = db.session.query(rls_model).filter_by(name=name).one_or_none()
            if rls is None:
                rls = rls_model(name=name)
                db.session.add(rls)
            rls.filter_type = "Regular"
            rls.clause = clause
            rls.group_key = "district"
            rls.description = f"{role_name} 只能看到本区县（{code}）的数据"
            rls.tables = list(tables)
            rls.roles = [role]
    for rls in db.session.query(rls_model).all():
        if rls.name.startswith(DISTRICT_ROLE_PREFIX) and rls.name not in wanted_names:
            db.session.delete(rls)
    db.session.commit()

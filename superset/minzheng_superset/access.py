"""A signed-in user without a data role gets one Chinese page saying so, not the home page's
English API errors (Superset's home page fetches dashboards, charts and activity the user may
not read, and shows every refusal as a red message)."""

from __future__ import annotations

from typing import Any

# Pages such a user may still open: signing in and out, the language pack, assets, health.
OPEN_PREFIXES = (
    "/login",
    "/logout",
    "/static/",
    "/superset/language_pack/",
    "/health",
    "/healthcheck",
    "/api/",  # the API answers 401/403 itself; only pages get the explanation
)
NO_DATA_ROLES = frozenset({"Public"})
NO_ACCESS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>暂无访问权限 · {app_name}</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
background:#f5f6f8;color:#1f2328;margin:0}
main{max-width:560px;margin:12vh auto;background:#fff;border-radius:8px;padding:40px 48px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:22px;margin:0 0 16px}p{line-height:1.8;margin:0 0 12px}a{color:#2f6fd6}
</style></head>
<body><main data-test="minzheng-no-access">
<h1>暂无访问权限</h1>
<p>您的账号已登录，但尚未分配数据角色（市领导或区县角色），因此看不到任何看板。</p>
<p>如需查看，请联系市民政局数据管理员为您的账号分配角色。</p>
<p><a href="/logout/">退出登录</a></p>
</main></body></html>
"""


def has_data_role(role_names: set[str]) -> bool:
    return bool(role_names - NO_DATA_ROLES)


def install(app: Any) -> None:
    """FLASK_APP_MUTATOR: answer every page of a user with no data role with NO_ACCESS_PAGE."""
    from flask import Response, request
    from flask_login import current_user

    # The page's CSS braces are literal: only the name is put in.
    page = NO_ACCESS_PAGE.replace("{app_name}", str(app.config["APP_NAME"]))

    @app.before_request
    def _no_access_page() -> Response | None:
        if request.path.startswith(OPEN_PREFIXES) or not current_user.is_authenticated:
            return None
        if has_data_role({role.name for role in current_user.roles}):
            return None
        return Response(page, status=403, mimetype="text/html")

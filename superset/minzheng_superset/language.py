"""Superset's zh language pack, served with corrections of the texts a dashboard reader sees.

Superset 6.1's zh catalogue translates "%s record" (the table search box) as "%s 异常" (anomalies),
"entries per page" as "序列" (series), "Summary" (a table's total row) as "星期日" (Sunday), and has no entry for some table texts, which then show in
English. The pack is served from the same address with the same permission
(can_language_pack), and these entries replaced.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

PACK_PATH = "/superset/language_pack/zh/"
CORRECTIONS: dict[str, list[str]] = {
    "%s record": ["%s 条记录"],
    "%s records": ["%s 条记录"],
    "%s record...": ["在 %s 条记录中搜索…"],
    "%s records...": ["在 %s 条记录中搜索…"],
    "Search %s records": ["在 %s 条记录中搜索"],
    "entries per page": ["条/页"],
    "entries": ["条"],
    "Show %s entries": ["每页 %s 条"],
    "Select page size": ["选择每页条数"],
    "Page": ["页"],
    "No records found": ["没有记录"],
    "No matching records found": ["没有匹配的记录"],
    "Search by": ["按列搜索"],
    "Summary": ["合计"],  # the catalogue has 星期日 (Sunday)
    "N/A": ["—"],
}


@lru_cache(maxsize=1)
def corrected_pack() -> bytes:
    import superset

    source = Path(superset.__file__).parent / "translations" / "zh" / "LC_MESSAGES"
    pack: dict[str, Any] = json.loads((source / "messages.json").read_text(encoding="utf-8"))
    messages = pack["locale_data"]["superset"]
    messages.update(CORRECTIONS)
    return json.dumps(pack, ensure_ascii=False).encode("utf-8")


def install(app: Any) -> None:
    """FLASK_APP_MUTATOR: serve the corrected pack to whoever may read the language pack."""
    from flask import Response, abort, request

    @app.before_request
    def _corrected_language_pack() -> Response | None:
        if request.path != PACK_PATH:
            return None
        from superset import security_manager

        if not security_manager.can_access("can_language_pack", "Superset"):
            abort(403)
        return Response(corrected_pack(), mimetype="application/json")

"""dbt-duckdb plugin: registers the pseudonymisation UDF on every warehouse connection, and sets
its memory limit (``settings.duckdb_memory_limit()``).

``minzheng_hmac_sha256(varchar) -> varchar`` returns the lowercase hex HMAC-SHA256 of its input
under ``settings.pii_key()``. The key lives only in this closure: it never appears in SQL text,
in dbt's logs or in the manifest. dbt models call it through the ``pseudonymise_id`` macro, which
normalises the ID (trim, upper) first.

Enabled in ``dbt_project/profiles.yml``::

    plugins:
      - module: minzheng.warehouse_plugin
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection, func, sqltypes

from minzheng import settings

UDF_NAME = "minzheng_hmac_sha256"


def make_hmac_udf(key: bytes) -> Callable[[pa.Array], pa.Array]:
    """An Arrow-vectorised, null-safe HMAC-SHA256 (hex) over a string column."""

    def hmac_sha256(values: pa.Array) -> pa.Array:
        out: list[str | None] = []
        for value in values.to_pylist():
            if value is None:
                out.append(None)
            else:
                out.append(hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest())
        return pa.array(out, type=pa.string())

    return hmac_sha256


def register_udfs(conn: DuckDBPyConnection, key: bytes) -> None:
    """Register the UDF on a connection (idempotent)."""
    # Not registered yet on this connection: nothing to remove.
    with contextlib.suppress(duckdb.Error):
        conn.remove_function(UDF_NAME)
    conn.create_function(
        UDF_NAME,
        make_hmac_udf(key),
        [sqltypes.VARCHAR],
        sqltypes.VARCHAR,
        type=func.PythonUDFType.ARROW,
        null_handling=func.FunctionNullHandling.SPECIAL,
        side_effects=False,
    )


class Plugin(BasePlugin):
    """Adds the Minzheng warehouse UDFs to dbt-duckdb connections."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        # Read once per dbt invocation; raises ConfigurationError in production without a key.
        self._key = settings.pii_key()

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register_udfs(conn, self._key)
        conn.execute("set memory_limit = ?", [settings.duckdb_memory_limit()])

"""A throwaway PostgreSQL cluster: the peer a bureau would otherwise run its warehouse on.

``initdb`` in a new temporary directory, a server that listens only on a Unix socket in that
directory (no TCP), trust authentication for the bootstrap superuser, and everything removed on
exit. PostgreSQL refuses to run as root: as root the server binaries run as the ``postgres``
system user (``runuser``), who then owns the temporary directory.

The server binaries are Debian's (``apt-get install postgresql``: ``/usr/lib/postgresql/<v>/bin``)
or any ``initdb`` on PATH.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPERUSER = "bench"
# Settings of every throwaway cluster: bulk loading without WAL for tables created in the same
# transaction, no replication, no TCP. Query settings are the caller's (see bench/peer.py).
BASE_SETTINGS = {
    "listen_addresses": "''",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "log_min_messages": "warning",
}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine, or the cluster would not start."""


def find_bindir() -> Path | None:
    """Where initdb/pg_ctl live: PATH first, then Debian's versioned folders, newest first."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    versions = []
    for candidate in Path("/usr/lib/postgresql").glob("*/bin"):
        if (candidate / "initdb").exists() and candidate.parent.name.isdigit():
            versions.append((int(candidate.parent.name), candidate))
    return max(versions)[1] if versions else None


def server_user() -> str | None:
    """The system user to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresUnavailable("running as root and neither a postgres nor a nobody user exists")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _setting(value: str) -> str:
    """A value for postgresql.conf: quoted unless it is a number or already quoted."""
    if re.fullmatch(r"-?\d+(\.\d+)?", value) or (value.startswith("'") and value.endswith("'")):
        return value
    return "'" + value.replace("'", "''") + "'"


@dataclass
class Cluster:
    """One initialised cluster under ``root`` (data/, the socket, server.log)."""

    bindir: Path
    root: Path
    port: int
    os_user: str | None
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def _run(self, tool: str, *args: str, timeout: float = 120) -> str:
        argv = [str(self.bindir / tool), *args]
        if self.os_user is not None:
            argv = ["runuser", "-u", self.os_user, "--", *argv]
        # The server's user may not read our working directory or HOME.
        env = {**os.environ, "LC_ALL": "C", "HOME": str(self.root)}
        result = subprocess.run(
            argv,
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresUnavailable(
                f"{tool} {' '.join(args[:2])} failed: {(result.stderr or result.stdout)[-2000:]}"
                + (f"\nserver log:\n{log}" if log else "")
            )
        return result.stdout

    def init(self) -> None:
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            timeout=300,
        )
        own = {"port": str(self.port), "unix_socket_directories": str(self.root)}
        lines = [f"{name} = {_setting(value)}" for name, value in {**self.settings, **own}.items()]
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# bench\n" + "\n".join(lines) + "\n")

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--wait",
            "--timeout",
            "120",
            "start",
            timeout=180,
        )

    def stop(self) -> None:
        self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "fast", "--wait", "stop")

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.root} port={self.port} user={SUPERUSER} dbname={dbname}"

    def connect(self, dbname: str = "postgres", **kwargs: Any) -> Any:
        import psycopg

        return psycopg.connect(self.conninfo(dbname), **kwargs)

    def server_version(self) -> str:
        with self.connect() as connection:
            row = connection.execute("show server_version").fetchone()
        return str(row[0]) if row else "unknown"

    def show(self, names: list[str]) -> dict[str, str]:
        """The settings the server actually runs with (SHOW), for the report."""
        shown = {}
        with self.connect() as connection:
            for name in names:
                row = connection.execute(f"show {name}").fetchone()
                shown[name] = str(row[0]) if row else ""
        return shown


@contextlib.contextmanager
def throwaway_cluster(
    settings: Mapping[str, str] | None = None, parent: Path | None = None
) -> Iterator[Cluster]:
    """Start a new cluster, yield it, stop it and remove every file it wrote."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            "no PostgreSQL server binaries (initdb): apt-get install -y postgresql"
        )
    os_user = server_user()
    root = Path(tempfile.mkdtemp(prefix="minzheng-pg-", dir=parent))
    try:
        if os_user is not None:
            entry = pwd.getpwnam(os_user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        cluster = Cluster(
            bindir=bindir,
            root=root,
            port=free_port(),
            os_user=os_user,
            settings={**BASE_SETTINGS, **(settings or {})},
        )
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            with contextlib.suppress(PostgresUnavailable, subprocess.TimeoutExpired):
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- DuckDB tables into PostgreSQL -----------------------------------------------------------

_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "UTINYINT": "smallint",
    "SMALLINT": "smallint",
    "USMALLINT": "integer",
    "INTEGER": "integer",
    "UINTEGER": "bigint",
    "BIGINT": "bigint",
    "UBIGINT": "numeric",
    "HUGEINT": "numeric",
    "UHUGEINT": "numeric",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "UUID": "uuid",
}


def postgres_type(duckdb_type: str) -> str:
    """The PostgreSQL column type that holds a DuckDB type's values as DuckDB writes them to CSV."""
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type)
    if decimal:
        return f"numeric({decimal[1]},{decimal[2]})"
    if duckdb_type in _TYPES:
        return _TYPES[duckdb_type]
    raise ValueError(f"no PostgreSQL type for DuckDB's {duckdb_type}")


def create_table_sql(qualified: str, columns: list[tuple[str, str]]) -> str:
    body = ",\n    ".join(f'"{name}" {postgres_type(kind)}' for name, kind in columns)
    return f"create table {qualified} (\n    {body}\n)"


def copy_csv(connection: Any, qualified: str, csv_path: Path, block: int = 1 << 20) -> None:
    """COPY a CSV file with a header (as DuckDB writes it) into an existing table, client-side."""
    with (
        connection.cursor() as cursor,
        cursor.copy(f"copy {qualified} from stdin with (format csv, header true)") as copy,
        csv_path.open("rb") as source,
    ):
        while chunk := source.read(block):
            copy.write(chunk)

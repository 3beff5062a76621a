"""Write-audit-publish: the serving file is replaced atomically, never written in place.

Readers (Superset, exports) open ``serving/minzheng.duckdb`` read-only. Publish builds a complete
new file beside it, then renames it over the old one, keeping the old one for rollback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from minzheng import settings

# The schemas that readers may see; staging (with pseudonymised persons) stays in the build.
SERVING_SCHEMAS = ("conformed", "marts", "kpi")


@dataclass(frozen=True)
class PublishResult:
    serving_file: Path
    previous_file: Path | None
    tables: dict[str, int]


def previous_path(serving: Path) -> Path:
    return serving.with_name(f"{serving.stem}.previous{serving.suffix}")


def publish(warehouse: Path, serving: Path) -> PublishResult:
    serving.parent.mkdir(parents=True, exist_ok=True)
    staged = serving.with_name(f".{serving.name}.{os.getpid()}.new")
    staged.unlink(missing_ok=True)
    tables: dict[str, int] = {}
    try:
        with duckdb.connect(
            str(staged), config={"memory_limit": settings.duckdb_memory_limit()}
        ) as target:
            target.execute("attach ? as build (read_only)", [str(warehouse)])
            relations = target.execute(
                """
                select table_schema, table_name
                from information_schema.tables
                where table_catalog = 'build' and table_schema in ?
                order by table_schema, table_name
                """,
                [list(SERVING_SCHEMAS)],
            ).fetchall()
            if not relations:
                raise RuntimeError(f"{warehouse} holds none of the schemas {SERVING_SCHEMAS}")
            for schema, name in relations:
                target.execute(f'create schema if not exists "{schema}"')
                target.execute(
                    f'create table "{schema}"."{name}" as select * from build."{schema}"."{name}"'
                )
                row = target.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                tables[f"{schema}.{name}"] = int(row[0]) if row else 0
            target.execute("detach build")
            target.execute("checkpoint")
        previous = _keep_previous(serving)
        os.replace(staged, serving)
    finally:
        staged.unlink(missing_ok=True)
    return PublishResult(serving, previous, tables)


def rollback(serving: Path) -> Path:
    """Put the previous serving file back; the one it replaces becomes the previous."""
    previous = previous_path(serving)
    if not previous.exists():
        raise FileNotFoundError(f"no previous serving file at {previous}")
    swap = serving.with_name(f".{serving.name}.rollback")
    swap.unlink(missing_ok=True)
    if serving.exists():
        os.link(serving, swap)
    os.replace(previous, serving)
    if swap.exists():
        os.replace(swap, previous)
    return serving


def _keep_previous(serving: Path) -> Path | None:
    """Hard-link the current file as the previous one, so the serving path never disappears."""
    if not serving.exists():
        return None
    previous = previous_path(serving)
    link = serving.with_name(f".{previous.name}.link")
    link.unlink(missing_ok=True)
    os.link(serving, link)
    os.replace(link, previous)
    return previous

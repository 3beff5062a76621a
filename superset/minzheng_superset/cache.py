"""Chart-data cache that never outlives the serving file it was filled from.

Publish replaces ``serving/minzheng.duckdb`` with ``os.replace``: a new inode, a new mtime. Every
key is namespaced by that identity, so after a swap all earlier entries miss (and age out on
disk), with no call from the pipeline into Superset.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask_caching.backends.filesystemcache import FileSystemCache

from minzheng_superset import env


def serving_file_identity(path: Path | None = None) -> str:
    """inode, size and mtime of the serving file ('absent' when it is not there)."""
    try:
        stat = os.stat(path or env.serving_file())
    except FileNotFoundError:
        return "absent"
    return f"{stat.st_ino}-{stat.st_size}-{stat.st_mtime_ns}"


class ServingFileCache(FileSystemCache):
    def _get_filename(self, key: str) -> str:
        return super()._get_filename(f"{serving_file_identity()}:{key}")

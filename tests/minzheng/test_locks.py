from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from minzheng.locks import LockHeld, exclusive

HOLD = """
import sys, time
from pathlib import Path
from minzheng.locks import exclusive
with exclusive(Path(sys.argv[1]), "test"):
    print("held", flush=True)
    time.sleep(30)
"""


def test_a_second_process_cannot_take_a_held_lock(tmp_path: Path) -> None:
    lock = tmp_path / ".run.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld, match="in use by another process"), exclusive(lock, "run"):
            pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive(lock, "run"):
        pass

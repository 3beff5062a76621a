"""The alert log: one JSON line per failed run, from the CLI and from Dagster's sensor alike."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path


def append_alert(
    alerts_dir: Path,
    *,
    run_id: str,
    job: str,
    failed_steps: list[dict[str, str]],
    run_error: str = "",
) -> Path:
    record = {
        "alerted_at": datetime.now(UTC).isoformat(),
        "run_id": run_id,
        "job": job,
        "failed_steps": failed_steps,
        "run_error": run_error,
    }
    alerts_dir.mkdir(parents=True, exist_ok=True)
    log = alerts_dir / "alerts.jsonl"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return log

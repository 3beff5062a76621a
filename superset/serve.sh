#!/usr/bin/env bash
# make serve: bootstrap Superset (idempotent), then Dagster's UI and Superset, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

DAGSTER_PORT=${DAGSTER_PORT:-3000}
SUPERSET_PORT=${SUPERSET_PORT:-8088}
export PYTHONPATH=superset${PYTHONPATH:+:$PYTHONPATH}
data_dir=${MINZHENG_DATA_DIR:-data}
if [ ! -f "$data_dir/serving/minzheng.duckdb" ]; then
    echo "no serving file at $data_dir/serving/minzheng.duckdb: run 'make run' first" >&2
    exit 1
fi
# One key for the bootstrap and every gunicorn worker; settings refuse this path in production.
if [ -z "${SUPERSET_SECRET_KEY:-}${MINZHENG_SUPERSET_SECRET_KEY:-}" ]; then
    case "${MINZHENG_ENV:-dev}" in
        prod|production) echo "SUPERSET_SECRET_KEY must be set in production" >&2; exit 1 ;;
    esac
    echo "warning: SUPERSET_SECRET_KEY is not set: using an ephemeral key (development only)" >&2
    MINZHENG_SUPERSET_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
    export MINZHENG_SUPERSET_SECRET_KEY
fi

superset/.venv/bin/python -m minzheng_superset bootstrap

pids=()
cleanup() {
    # `dagster dev` ignores SIGTERM without a tty: its whole process group gets SIGKILL.
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setsid .venv/bin/dagster dev -m orchestration.definitions -h 127.0.0.1 -p "$DAGSTER_PORT" &
pids+=($!)
setsid superset/.venv/bin/python -m minzheng_superset serve --host 127.0.0.1 --port "$SUPERSET_PORT" &
pids+=($!)

wait_for() {
    local url=$1
    for _ in $(seq 1 180); do
        if python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "not ready after 180 s: $url" >&2
    return 1
}
wait_for "http://127.0.0.1:$SUPERSET_PORT/health"
wait_for "http://127.0.0.1:$DAGSTER_PORT/server_info"
cat <<MSG

  Dagster UI: http://127.0.0.1:$DAGSTER_PORT
  Superset:   http://127.0.0.1:$SUPERSET_PORT   (admin: ${MINZHENG_SUPERSET_ADMIN_USER:-admin})
  Ctrl-C stops both.

MSG
wait -n "${pids[@]}"

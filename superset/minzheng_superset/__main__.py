"""python -m minzheng_superset {bootstrap|serve|bundle DIR}"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="minzheng_superset")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("bootstrap", help="metadata DB, admin, init, connection, assets, roles, RLS")
    serve = sub.add_parser("serve", help="gunicorn on HOST:PORT (bootstrap first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8088)
    serve.add_argument("--workers", type=int, default=2)
    bundle = sub.add_parser("bundle", help="write the import bundle (YAML) to a folder")
    bundle.add_argument("directory", type=Path)
    args = parser.parse_args()

    if args.command == "bootstrap":
        from minzheng_superset.bootstrap import bootstrap

        started = time.monotonic()
        timings = bootstrap()
        timings["total"] = time.monotonic() - started
        print(json.dumps({"bootstrap_seconds": {k: round(v, 1) for k, v in timings.items()}}))
    elif args.command == "serve":
        from minzheng_superset.serve import serve as run_server

        run_server(args.host, args.port, args.workers)
    elif args.command == "bundle":
        from minzheng_superset import env
        from minzheng_superset.bundle import Bundle

        for name, text in Bundle(env.serving_file()).files().items():
            path = args.directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(args.directory)


if __name__ == "__main__":
    main()

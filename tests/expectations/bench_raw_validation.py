"""Raw validation on a synthetic year of batches: GE on pandas vs GE's SQL engine on DuckDB.

Not collected by pytest (it takes a minute). Run:

    .venv/bin/python -m tests.expectations.bench_raw_validation --rows 1500000

It writes twelve monthly parquet batches shaped like raw.civil_registry.deaths (every column
VARCHAR, as the raw zone lands them) and validates the deaths suite over all of them both ways.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from expectations.runner import validate_parquet
from expectations.suites.raw import suite_factory
from sources.common.regions import COUNTIES
from sources.common.registry import entities

deaths = suite_factory(entities("civil_registry")["deaths"])

_MONTH_SQL = """
copy (
    select
        'D' || lpad(cast(i as varchar), 9, '0') as death_record_id,
        cast(1 + cast(i % 3 = 0 as integer) as varchar) as record_version,
        '3212' || lpad(cast(i as varchar), 14, '0') as deceased_id_number,
        '张三' as deceased_name,
        case when i % 2 = 0 then '男' else '女' end as sex,
        '1940-01-01' as birth_date,
        strftime(date '2025-01-01' + cast(i % 365 as integer), '%Y-%m-%d') as death_date,
        strftime(date '2025-01-02' + cast(i % 365 as integer), '%Y-%m-%d') as registration_date,
        list_extract($counties, 1 + cast(i % len($counties) as integer))
            as registration_county_code,
        case when i % 10 = 0 then '否' else '是' end as cremated,
        case when i % 7 = 0 then '是' else '否' end as via_96444,
        '泰州殡仪馆' as funeral_home,
        $batch as _batch_id,
        '2025-01-28T00:00:00' as _extracted_at,
        $batch || '.csv' as _source_file
    from range($start, $stop) as t(i)
) to '{path}' (format parquet)
"""


def write_year(directory: Path, rows: int) -> list[str]:
    files = []
    per_month = rows // 12
    with duckdb.connect() as connection:
        for month in range(12):
            path = directory / f"deaths_2025{month + 1:02d}.parquet"
            connection.execute(
                _MONTH_SQL.format(path=path),
                {
                    "counties": list(COUNTIES),
                    "batch": path.stem,
                    "start": month * per_month,
                    "stop": (month + 1) * per_month,
                },
            )
            files.append(str(path))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--engines", default="sql,pandas")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minzheng-bench-") as scratch:
        started = time.perf_counter()
        files = write_year(Path(scratch), args.rows)
        print(f"wrote {args.rows:,} rows in 12 batches: {time.perf_counter() - started:.1f} s")
        for engine in args.engines.split(","):
            outcome = validate_parquet(deaths(), files, engine=engine)
            print(
                f"{engine:>6}: {outcome.rows:,} rows, {len(outcome.outcomes)} expectations, "
                f"{outcome.seconds:.2f} s, passed={outcome.passed}"
            )


if __name__ == "__main__":
    main()

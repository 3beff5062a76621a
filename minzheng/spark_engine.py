"""The warehouse on Apache Spark: a session the project starts itself, the raw zone registered as
Spark tables, the person_key UDF bound to the key in Python, and dbt-spark run in-process.

Why in-process: dbt-spark's ``session`` method takes the active SparkSession (``getOrCreate``), so
whatever this module registers in it (raw tables, the HMAC function) is what the models see. The
HMAC is a session (temporary) function, so the key lives only in this process's closure: it never
appears in SQL text, in dbt's logs or in the manifest. Spark views cannot call a temporary function
(INVALID_TEMP_OBJ_REFERENCE), so the models that pseudonymise are tables on Spark
(``pseudonymising_materialization`` in macros/portable.sql).

Tables are Iceberg (MERGE INTO and DELETE, which the incremental models need; plain Parquet tables
refuse both) in a Hive metastore kept under ``$MINZHENG_DATA_DIR/spark``; the Iceberg Spark runtime
jar comes from the ``snowpark-connect-deps-iceberg`` wheel in the lock, so nothing is downloaded.

Settings: MINZHENG_SPARK_MASTER (default ``local[2]``; a self-hosted cluster's master URL in
production), MINZHENG_SPARK_DRIVER_MEMORY (default 3g), MINZHENG_SPARK_SHUFFLE_PARTITIONS
(default 4: the raw zone of a city is small per table).

Usage: ``minzheng-dbt build --vars ...`` is ``dbt build --target spark ...`` on such a session.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from minzheng import settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

UDF_NAME = "minzheng_hmac_sha256"
# The raw zone's sources, as dbt names them (models/staging/<source>/_<source>__sources.yml).
RAW_SOURCES = ("civil_registry", "elderly_care", "smart_assistance", "social_org_registry")
ICEBERG_RUNTIME = "iceberg-spark-runtime-3.5_2.12-1.10.2.jar"


def iceberg_runtime_jar() -> Path:
    """The Iceberg Spark runtime shipped in the ``snowpark-connect-deps-iceberg`` wheel."""
    spec = importlib.util.find_spec("snowpark_connect_deps_iceberg")
    if spec is None or not spec.submodule_search_locations:
        raise settings.ConfigurationError("snowpark-connect-deps-iceberg is not installed")
    jar = Path(next(iter(spec.submodule_search_locations))) / "jars" / ICEBERG_RUNTIME
    if not jar.exists():
        raise settings.ConfigurationError(f"{jar} is missing from snowpark-connect-deps-iceberg")
    return jar


def spark_dir() -> Path:
    """The metastore and table files of the Spark warehouse."""
    return settings.data_dir() / "spark"


def java_home() -> str | None:
    """JAVA_HOME, else Debian's Java 17 (Spark 3.5 runs on 8, 11 and 17)."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    for candidate in sorted(Path("/usr/lib/jvm").glob("java-17-openjdk-*")):
        if (candidate / "bin" / "java").exists():
            return str(candidate)
    return None


def session_conf() -> dict[str, str]:
    """The session's settings; each one is a decision the docs explain (docs/spark.md)."""
    home = spark_dir()
    return {
        "spark.master": os.environ.get("MINZHENG_SPARK_MASTER", "local[2]"),
        "spark.app.name": "minzheng-warehouse",
        "spark.driver.memory": os.environ.get("MINZHENG_SPARK_DRIVER_MEMORY", "3g"),
        "spark.sql.shuffle.partitions": os.environ.get("MINZHENG_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.jars": str(iceberg_runtime_jar()),
        "spark.sql.extensions": (
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"
        ),
        "spark.sql.catalog.spark_catalog": "org.apache.iceberg.spark.SparkSessionCatalog",
        "spark.sql.catalog.spark_catalog.type": "hive",
        # The embedded metastore has no lock service: Iceberg would retry a lock on every commit
        # for ever. One writer at a time is the project's rule anyway (the warehouse lock).
        "spark.hadoop.iceberg.engine.hive.lock-enabled": "false",
        "spark.sql.warehouse.dir": str(home / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={home}",
        # Timestamps without a zone, as DuckDB's TIMESTAMP: '...T17:06:59+08:00' is 17:06:59.
        "spark.sql.timestampType": "TIMESTAMP_NTZ",
        "spark.sql.session.timeZone": "UTC",
        # Parquet's own timestamps (not INT96), so the DuckDB copy keeps zoned and zone-less apart.
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        # Spark 3.5's default; stated because dbt.safe_cast relies on try_cast either way.
        "spark.sql.ansi.enabled": "false",
    }


def start_session() -> SparkSession:
    """The local (or MINZHENG_SPARK_MASTER) session with Iceberg and the Hive metastore."""
    from pyspark.sql import SparkSession

    java = java_home()
    if java:
        os.environ["JAVA_HOME"] = java
    # Executors run the HMAC in Python: the same interpreter as the driver.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark_dir().mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder
    for key, value in session_conf().items():
        builder = builder.config(key, value)
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def make_hmac(key: bytes) -> Callable[[pd.Series], pd.Series]:
    """A vectorised, null-safe HMAC-SHA256 (hex) over a pandas Series of strings."""

    def hmac_sha256(values: pd.Series) -> pd.Series:
        return values.map(
            lambda value: (
                None
                # Arrow hands a missing value to pandas as None, NaN or pd.NA, by batch.
                if value is None or pd.isna(value)
                else hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
            )
        )

    return hmac_sha256


def register_hmac(spark: SparkSession, key: bytes) -> None:
    """``minzheng_hmac_sha256(string) -> string``, the same function DuckDB's plugin registers."""
    from pyspark.sql.functions import pandas_udf

    spark.udf.register(UDF_NAME, pandas_udf(make_hmac(key), "string"))  # type: ignore[call-overload]


def raw_tables(raw_dir: Path) -> Iterator[tuple[str, str, Path]]:
    """(source, entity, folder) of every raw entity that holds at least one Parquet batch."""
    for source in RAW_SOURCES:
        source_dir = raw_dir / source
        if not source_dir.is_dir():
            continue
        for entity_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            if any(entity_dir.glob("*.parquet")):
                yield source, entity_dir.name, entity_dir


def spark_column_type(arrow_type: pa.DataType) -> str:
    """The Spark SQL type that reads a raw Parquet column as it was written."""
    if pa.types.is_timestamp(arrow_type):
        # _extracted_at is UTC-adjusted: Spark reads it only as a zoned timestamp.
        return "timestamp_ltz" if arrow_type.tz else "timestamp_ntz"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "string"
    raise settings.ConfigurationError(f"raw column of unexpected type {arrow_type}")


def merged_schema(folder: Path) -> pa.Schema:
    """The union of the columns of every batch in a folder (a source adds a column later)."""
    return pa.unify_schemas([pq.read_schema(path) for path in sorted(folder.glob("*.parquet"))])


def register_raw_zone(spark: SparkSession, raw_dir: Path) -> int:
    """Each raw entity as an external Parquet table ``<source>.<entity>`` over its folder.

    Batches differ in columns (a source adds one): the table declares their union, read from the
    batches' footers, as DuckDB's union_by_name (a batch without a column reads it as null); this
    also spares Spark a schema-inference job per table. The folders hold a manifest beside each
    batch: only *.parquet is read. Re-registered on every run, so the table sees new batches.
    """
    count = 0
    for source in RAW_SOURCES:
        spark.sql(f"create database if not exists {source}")
    for source, entity, folder in raw_tables(raw_dir):
        columns = ", ".join(
            f"`{field.name}` {spark_column_type(field.type)}" for field in merged_schema(folder)
        )
        spark.sql(f"drop table if exists {source}.{entity}")
        spark.sql(
            f"create table {source}.{entity} ({columns}) using parquet "
            f"options (path '{folder}', mergeSchema 'true', pathGlobFilter '*.parquet')"
        )
        count += 1
    return count


def prepare(spark: SparkSession) -> None:
    """What a warehouse build on Spark needs before dbt runs: the raw tables and the HMAC."""
    register_raw_zone(spark, settings.paths().raw)
    register_hmac(spark, settings.pii_key())


def dbt_args(args: Sequence[str]) -> list[str]:
    """dbt's arguments with the project, profiles and the spark target filled in."""
    full = list(args)
    defaults = {
        "--project-dir": str(settings.DBT_PROJECT_DIR),
        "--profiles-dir": str(settings.DBT_PROJECT_DIR),
        "--target": "spark",
    }
    for flag, value in defaults.items():
        if flag not in full and not (flag == "--target" and "-t" in full):
            full += [flag, value]
    return full


# The schemas dbt builds (dbt_project.yml, generate_schema_name): mirrored for checks and publish.
DBT_SCHEMAS = ("seeds", "staging", "quarantine", "conformed", "marts", "kpi", "audit")
# dbt commands after which the build file is refreshed from Spark.
BUILDING_COMMANDS = frozenset({"build", "run", "seed", "snapshot"})
# dbt commands (and bare flags such as --version) that never query the warehouse: no session.
SESSIONLESS_COMMANDS = frozenset({"parse", "deps", "clean", "ls", "list"})


def mirror_to_duckdb(spark: SparkSession, warehouse: Path) -> dict[str, int]:
    """Copy every table dbt built on Spark into the DuckDB build file, replacing it whole.

    What reads the build (the quality checks, publish and so Superset and the exports) then reads
    the same file whichever engine built it. Each table goes through Parquet (Spark writes,
    DuckDB reads), so types map as Parquet maps them; the new file replaces the old one atomically.
    """
    import duckdb

    staging_dir = spark_dir() / "mirror"
    staged = warehouse.with_name(f".{warehouse.name}.{os.getpid()}.spark")
    staged.unlink(missing_ok=True)
    existing = {row.namespace for row in spark.sql("show databases").collect()}
    counts: dict[str, int] = {}
    with duckdb.connect(str(staged), config={"memory_limit": settings.duckdb_memory_limit()}) as db:
        for schema in DBT_SCHEMAS:
            if schema not in existing:
                continue
            db.execute(f'create schema if not exists "{schema}"')
            for table in spark.catalog.listTables(schema):
                if table.tableType == "VIEW" or table.isTemporary:
                    continue
                folder = staging_dir / schema / table.name
                spark.table(f"{schema}.{table.name}").coalesce(1).write.mode("overwrite").parquet(
                    str(folder)
                )
                db.execute(
                    f'create table "{schema}"."{table.name}" as '
                    f"select * from read_parquet('{folder}/*.parquet')"
                )
                row = db.execute(f'select count(*) from "{schema}"."{table.name}"').fetchone()
                counts[f"{schema}.{table.name}"] = int(row[0]) if row else 0
    staged.replace(warehouse)
    return counts


def run_dbt(args: Sequence[str], spark: SparkSession | None = None) -> bool:
    """dbt <args> on Spark in this process, then the build file mirrored; True on success."""
    from dbt.cli.main import dbtRunner

    if not args or args[0].startswith("-"):
        return bool(dbtRunner().invoke(list(args)).success)
    if args[0] in SESSIONLESS_COMMANDS:
        return bool(dbtRunner().invoke(dbt_args(args)).success)
    spark = spark or start_session()
    prepare(spark)
    result = dbtRunner().invoke(dbt_args(args))
    # A failed build mirrors too: the blocking checks then see what it left, as on DuckDB.
    if args and args[0] in BUILDING_COMMANDS:
        mirror_to_duckdb(spark, settings.paths().warehouse)
    return bool(result.success)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry ``minzheng-dbt``: dbt on the project's Spark session."""
    started = time.monotonic()
    ok = run_dbt(list(sys.argv[1:] if argv is None else argv))
    outcome = "succeeded" if ok else "failed"
    print(
        f"minzheng-dbt: dbt on Spark {outcome} in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

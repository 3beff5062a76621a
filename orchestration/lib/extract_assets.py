"""One factory per access method: every source entity becomes a raw asset the same way."""

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from zipfile import BadZipFile
from zoneinfo import ZoneInfo

import dagster as dg
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from minzheng.extract import ExtractResult, extract_files, extract_window
from minzheng.stopping import refuse_if_stopping
from orchestration.lib.resources import (
    ElderlyCareDatabase,
    FileDrop,
    RawZoneResource,
    SmartAssistanceApi,
)
from sources.common.files import SchemaDriftError

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Extract steps are not retried by Dagster: the clients retry transient faults within their
# budget (sources/common/reach.py); a second layer would only multiply an outage's length.
# A file that cannot be parsed will not parse on a second try: it is quarantined at once.
UNPARSEABLE_FILE = (
    SchemaDriftError,
    BadZipFile,
    InvalidFileException,
    pd.errors.EmptyDataError,
    pd.errors.ParserError,
    UnicodeDecodeError,
)
RECONCILIATION_CHECK = "rows_reconcile"
FILES_PARSE_CHECK = "files_parse"


def raw_asset_key(source: str, entity: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source, entity])


def api_entity_asset(entity: str, description: str) -> dg.AssetsDefinition:
    source = "smart_assistance"

    @dg.asset(
        key=raw_asset_key(source, entity),
        group_name=source,
        description=description,
        kinds={"api", "parquet"},
        check_specs=[_reconciliation_spec(source, entity)],
    )
    def _extract(
        context: dg.AssetExecutionContext,
        smart_assistance_api: SmartAssistanceApi,
        raw_zone: RawZoneResource,
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        refuse_if_stopping()
        client = smart_assistance_api.client()
        until = datetime.now(SHANGHAI).isoformat(timespec="seconds")

        def pages(since: str | None) -> Iterable[pd.DataFrame]:
            for page in client.fetch_window(entity, since, until):
                yield pd.DataFrame.from_records(page)

        yield from _report(context, extract_window(raw_zone.zone(), source, entity, pages))

    return _extract


def sql_table_asset(entity: str, description: str) -> dg.AssetsDefinition:
    source = "elderly_care"

    @dg.asset(
        key=raw_asset_key(source, entity),
        group_name=source,
        description=description,
        kinds={"sqlite", "parquet"},
        check_specs=[_reconciliation_spec(source, entity)],
    )
    def _extract(
        context: dg.AssetExecutionContext,
        elderly_care_db: ElderlyCareDatabase,
        raw_zone: RawZoneResource,
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        refuse_if_stopping()
        client = elderly_care_db.client()
        until = datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")

        def chunks(since: str | None) -> Iterable[pd.DataFrame]:
            return client.read_window(entity, since, until)

        yield from _report(context, extract_window(raw_zone.zone(), source, entity, chunks))

    return _extract


def file_entity_asset(
    source: str,
    entity: str,
    description: str,
    drop_resource: str,
    list_files: Callable[[Path, str], list[Path]],
    read_file: Callable[[Path, str], pd.DataFrame],
    file_date: Callable[[Path], date],
) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(source, entity),
        group_name=source,
        description=description,
        kinds={"csv", "parquet"},
        check_specs=[
            _reconciliation_spec(source, entity),
            dg.AssetCheckSpec(
                FILES_PARSE_CHECK,
                asset=raw_asset_key(source, entity),
                blocking=True,
                description="Every new file lands: one that does not parse or match the "
                "entity's columns, one dated after the day of the run, or one changed under a "
                "name already landed is quarantined whole, with the reason, and fails this check.",
            ),
        ],
        required_resource_keys={drop_resource, "raw_zone"},
    )
    def _extract(
        context: dg.AssetExecutionContext,
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        refuse_if_stopping()
        drop: FileDrop = getattr(context.resources, drop_resource)
        raw_zone: RawZoneResource = context.resources.raw_zone
        result = extract_files(
            raw_zone.zone(),
            source,
            entity,
            list_files(drop.path, entity),
            lambda path: read_file(path, entity),
            file_date,
            UNPARSEABLE_FILE,
            today=datetime.now(SHANGHAI).date(),
        )
        quarantined = [
            q
            for q in raw_zone.zone().quarantined_files(source, entity)
            if q.source_file in result.quarantined_files
        ]
        for record in quarantined:
            context.log.error(
                f"{source}.{entity}: quarantined {record.source_file}: {record.error}"
            )
        yield from _report(context, result)
        yield dg.AssetCheckResult(
            check_name=FILES_PARSE_CHECK,
            passed=not quarantined,
            metadata={
                "files_quarantined": len(quarantined),
                "errors": "\n".join(f"{q.source_file}: {q.error}" for q in quarantined),
            },
        )

    return _extract


def _reconciliation_spec(source: str, entity: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        RECONCILIATION_CHECK,
        asset=raw_asset_key(source, entity),
        blocking=True,
        description="Rows read from the source = rows landed now + rows of batches already landed.",
    )


def _report(
    context: dg.AssetExecutionContext, result: ExtractResult
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    context.log.info(
        f"{result.source}.{result.entity}: read {result.rows_read}, landed {result.rows_landed} "
        f"in {len(result.batches)} batches, {result.already_landed} already landed"
    )
    yield dg.MaterializeResult(metadata=dict(result.metadata()))  # type: ignore[arg-type]
    yield dg.AssetCheckResult(
        check_name=RECONCILIATION_CHECK,
        passed=result.reconciled,
        metadata={
            "rows_read": result.rows_read,
            "rows_landed": result.rows_landed,
            "rows_already_landed": result.rows_already_landed,
        },
    )

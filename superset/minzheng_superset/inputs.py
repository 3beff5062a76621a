"""What the dashboards are built from, read at bootstrap; nothing here decides how they look.

- dbt_project/metrics/semantic_layer.yml: metrics, derived dimensions, each action line's
  dashboard slug and marts folder;
- dbt_project/models/**/_*__models.yml: each column's Chinese label (``meta.label_zh``, else its
  description's first clause);
- the serving file: the tables and columns served, the KPIs (catalog order), the action lines
  (names, order), the city and its districts (``dim_region``: names, administrative order), the
  data month. No district, action line or KPI is written in this package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import yaml

from minzheng_superset import env

SERVED_SCHEMAS = ("kpi", "marts", "conformed")


def load_semantic_layer(path: Path = env.SEMANTIC_LAYER) -> dict[str, Any]:
    layer: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    _expand_dimension_references(layer["kpi_progress"]["dimensions"])
    return layer


DIMENSION_REFERENCE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _expand_dimension_references(dimensions: list[dict[str, Any]]) -> None:
    """`{{ name }}` in a dimension's expression: that dimension's expression, so a rule has one
    text (Superset's calculated columns cannot refer to each other)."""
    by_name = {d["name"]: d["expression"] for d in dimensions}

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in by_name or DIMENSION_REFERENCE.search(by_name[name]):
            raise ValueError(f"semantic layer: {{{{ {name} }}}} is not a plain dimension")
        return f"({by_name[name]})"

    for dimension in dimensions:
        dimension["expression"] = DIMENSION_REFERENCE.sub(expand, dimension["expression"])


def dimension_expression(semantic: dict[str, Any], name: str) -> str:
    return str(
        next(d["expression"] for d in semantic["kpi_progress"]["dimensions"] if d["name"] == name)
    )


def dbt_models(models_dir: Path = env.DBT_MODELS) -> dict[str, dict[str, Any]]:
    """model name -> {folder, description, label, columns: {name: label}} from dbt's YAML."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted(models_dir.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models") or []:
            columns = {
                column["name"]: column_label(column) for column in model.get("columns") or []
            }
            models[model["name"]] = {
                "folder": path.parent.name,
                "description": model.get("description") or "",
                "label": column_label(model),
                "columns": columns,
            }
    return models


def column_label(entry: dict[str, Any]) -> str:
    """A dbt node's Chinese label: ``meta.label_zh`` (or ``config.meta``), else the text of its
    description up to the first 。"""
    for meta in (entry.get("meta"), (entry.get("config") or {}).get("meta")):
        if isinstance(meta, dict) and meta.get("label_zh"):
            return str(meta["label_zh"])
    description = (entry.get("description") or "").strip()
    if description.startswith("{{"):  # a doc block without a label: no guess from its name
        return ""
    head = re.split(r"[。\n]", description, maxsplit=1)[0]
    return head.strip()[:60]


@dataclass
class ServedTable:
    schema: str
    name: str
    columns: list[tuple[str, str]]  # (name, duckdb type)

    @property
    def key(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class Kpi:
    code: str
    action_line: str
    name_zh: str
    measure_type: str
    has_districts: bool
    catalog_order: int
    largest_value: float  # the largest actual, target or 序时进度 served for it
    # In the latest month some region's 序时进度 is not its target (else drawn once, as target).
    expected_differs: bool = False

    @property
    def is_ratio(self) -> bool:
        return self.measure_type == "ratio"

    @property
    def label(self) -> str:
        return f"{self.code} {self.name_zh}"


@dataclass
class Region:
    code: str
    name: str
    level: str  # city | county


@dataclass
class ActionLine:
    code: str
    name_zh: str
    dashboard: str  # the dashboard's slug (semantic layer)
    marts_folder: str


@dataclass
class Served:
    tables: dict[str, ServedTable] = field(default_factory=dict)
    kpis: list[Kpi] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)  # the city first, then administrative order
    lines: list[ActionLine] = field(default_factory=list)
    data_month: date | None = None
    data_as_of: date | None = None
    # The rules behind 无数据 and 不公开, as the build states them (kpi.kpi_status_rules).
    status_rules: dict[str, str] = field(default_factory=dict)

    @property
    def city(self) -> Region:
        return next(region for region in self.regions if region.level == "city")

    @property
    def districts(self) -> list[Region]:
        return [region for region in self.regions if region.level == "county"]


def read_serving(path: Path, semantic: dict[str, Any]) -> Served:
    """Tables, columns, KPIs, regions, action lines and the data month of the serving file."""
    served = Served()
    with duckdb.connect(str(path), read_only=True) as connection:
        schemas = ", ".join(f"'{schema}'" for schema in SERVED_SCHEMAS)
        rows = connection.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns"
            f" where table_schema in ({schemas})"
            " order by table_schema, table_name, ordinal_position"
        ).fetchall()
        for schema, table, column, data_type in rows:
            key = f"{schema}.{table}"
            served.tables.setdefault(key, ServedTable(schema, table, []))
            served.tables[key].columns.append((column, data_type))
        latest = dimension_expression(semantic, "is_latest_month")
        differs = dimension_expression(semantic, "expected_differs")
        kpi_rows = connection.execute(
            "select progress.kpi_code, any_value(progress.action_line),"
            " any_value(progress.kpi_name_zh), any_value(progress.measure_type),"
            " bool_or(progress.region_level = 'county'),"
            # The order of the current plan (序号 as the bureau's catalog numbers it this year);
            # a KPI the current plan no longer has keeps its last plan's.
            " coalesce(min(catalog.catalog_order) filter (where progress.is_current_plan_year),"
            " arg_max(catalog.catalog_order, progress.plan_year)),"
            " max(greatest(coalesce(progress.actual_value, 0), coalesce(progress.target_value, 0),"
            " coalesce(progress.expected_progress, 0))),"
            " coalesce(bool_or(progress.is_latest_month and progress.expected_differs), false)"
            f" from (select *, ({latest}) as is_latest_month, ({differs}) as expected_differs"
            " from kpi.kpi_progress) as progress"
            " left join kpi.kpi_catalog as catalog"
            " on progress.kpi_code = catalog.kpi_code and progress.plan_year = catalog.plan_year"
            " group by progress.kpi_code"
        ).fetchall()
        served.kpis = sorted(
            (
                Kpi(
                    code=row[0],
                    action_line=row[1],
                    name_zh=row[2],
                    measure_type=row[3],
                    has_districts=bool(row[4]),
                    catalog_order=int(row[5] or 999),
                    largest_value=float(row[6] or 0),
                    expected_differs=bool(row[7]),
                )
                for row in kpi_rows
            ),
            key=lambda kpi: (kpi.catalog_order, kpi.code),
        )
        served.regions = [Region(*row) for row in _regions(connection, served)]
        line_rows = connection.execute(
            "select action_line, any_value(action_line_zh), min(catalog_order)"
            " from kpi.kpi_catalog group by action_line order by 3, 1"
        ).fetchall()
        served.status_rules = dict(
            connection.execute("select status, rule_zh from kpi.kpi_status_rules").fetchall()
        )
        months = connection.execute(
            "select max(period_month), max(data_as_of) from kpi.kpi_progress"
            " where period_month <= data_as_of"
        ).fetchone()
    if months:
        served.data_month, served.data_as_of = months
    configured = {line["code"]: line for line in semantic["action_lines"]}
    served.lines = [
        ActionLine(
            code, name, configured[code]["dashboard"], configured[code].get("marts_folder", "")
        )
        for code, name, _ in line_rows
        if code in configured
    ]
    return served


def _regions(connection: duckdb.DuckDBPyConnection, served: Served) -> list[tuple[str, str, str]]:
    """The city and its districts from dim_region (the seed), ordered by administrative code."""
    if "conformed.dim_region" in served.tables:
        query = (
            "select region_code, region_name, region_level from conformed.dim_region"
            " where region_level in ('city', 'county')"
        )
    else:  # a serving file without the conformed layer: the regions kpi_progress holds
        query = "select distinct region_code, region_name, region_level from kpi.kpi_progress"
    rows = connection.execute(f"select * from ({query}) order by region_code").fetchall()
    return sorted(rows, key=lambda row: (row[2] != "city", row[0]))


def valid_expressions(path: Path, table: str, expressions: dict[str, str]) -> dict[str, str]:
    """The expressions that DuckDB accepts on this table (a renamed column drops its metric)."""
    valid: dict[str, str] = {}
    with duckdb.connect(str(path), read_only=True) as connection:
        for name, expression in expressions.items():
            try:
                connection.execute(f"select {expression} from {table} limit 0")
            except duckdb.Error as error:
                print(f"[assets] {table}: {name} left out ({error})".splitlines()[0], flush=True)
                continue
            valid[name] = expression
    return valid


def district_code(region_column: str) -> str:
    """SQL for the district a row belongs to: the first six digits of its region code (a
    village, town or district code all begin with their district's). Row-level security, the
    district names and the districts without records all read a row's district this way."""
    return f"substr(cast({region_column} as varchar), 1, 6)"


def is_city_scope(path: Path, table: str, region_column: str) -> bool:
    """True when the table's rows sit at one place only: the city, or one city project such as
    the city funeral home (a district's view would otherwise be empty)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        row = connection.execute(
            f"select count(distinct {district_code(region_column)}) from {table}"
        ).fetchone()
    return bool(row and row[0] == 1)

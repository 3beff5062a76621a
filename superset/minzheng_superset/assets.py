"""The Superset assets (database, datasets, charts, dashboards) as an import bundle.

Built from three things kept in the repo and one read at bootstrap:
- dbt_project/metrics/semantic_layer.yml: metrics and derived dimensions (the semantic layer);
- dbt_project/models/**/_*__models.yml: each column's Chinese label (its description's first clause);
- this module: which charts each dashboard holds and how they look;
- the serving file: which KPIs and fact tables exist now (never a hard-coded KPI list).

Every object gets a UUID derived from its name, so re-importing overwrites in place: the bootstrap
is idempotent and never duplicates.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from minzheng_superset import env

NAMESPACE = uuid.UUID("6f1f9a52-0f0e-4d55-9a37-3f0d1a7c2e10")
DATABASE_NAME = "民政数据仓库（只读）"
STATUS_COLOURS = {"达标": "#1A7F37", "序时达标": "#2F6FD6", "滞后": "#D1242F", "监测": "#8C959F"}
# The same series look the same on every chart: actual blue, target slate, 序时进度 amber.
SERIES_COLOURS = {
    "实际值（比率）": "#1F77B4",
    "实际值（数量）": "#1F77B4",
    "目标值": "#44546A",
    "序时进度": "#E8A33D",
}
DISTRICTS = {
    "321202": "海陵区",
    "321203": "高港区",
    "321204": "姜堰区",
    "321281": "兴化市",
    "321282": "靖江市",
    "321283": "泰兴市",
}


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


# --- inputs -----------------------------------------------------------------------------------------


def load_semantic_layer(path: Path = env.SEMANTIC_LAYER) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dbt_models(models_dir: Path = env.DBT_MODELS) -> dict[str, dict[str, Any]]:
    """model name -> {folder, description, columns: {name: label}} from the dbt property files."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted(models_dir.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models") or []:
            columns = {
                column["name"]: _label(column.get("description") or "")
                for column in model.get("columns") or []
            }
            models[model["name"]] = {
                "folder": path.parent.name,
                "description": model.get("description") or "",
                "columns": columns,
            }
    return models


def _label(description: str) -> str:
    """The Chinese label of a dbt description: its text up to the first 。 (or the whole)."""
    head = re.split(r"[。\n]", description.strip(), maxsplit=1)[0]
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


@dataclass
class Served:
    tables: dict[str, ServedTable] = field(default_factory=dict)
    kpis: list[Kpi] = field(default_factory=list)


def read_serving(path: Path) -> Served:
    """Tables, columns and the KPIs present in the serving file."""
    served = Served()
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns"
            " where table_schema in ('kpi', 'marts', 'conformed')"
            " order by table_schema, table_name, ordinal_position"
        ).fetchall()
        for schema, table, column, data_type in rows:
            key = f"{schema}.{table}"
            served.tables.setdefault(key, ServedTable(schema, table, []))
            served.tables[key].columns.append((column, data_type))
        kpi_rows = connection.execute(
            "select kpi_code, any_value(action_line), any_value(kpi_name_zh),"
            " any_value(measure_type), bool_or(region_level = 'county')"
            " from kpi.kpi_progress group by kpi_code order by kpi_code"
        ).fetchall()
        order = dict(
            connection.execute(
                "select kpi_code, min(catalog_order) from kpi.kpi_catalog group by kpi_code"
            ).fetchall()
        )
    served.kpis = sorted(
        (Kpi(*row) for row in kpi_rows), key=lambda kpi: (order.get(kpi.code, 999), kpi.code)
    )
    return served


def valid_expressions(
    path: Path, table: str, expressions: dict[str, str], aggregate: bool
) -> dict[str, str]:
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


# --- the bundle -------------------------------------------------------------------------------------


@dataclass
class Dataset:
    table: ServedTable
    uuid: str
    region_column: str | None
    metrics: list[dict[str, Any]]
    dimensions: list[dict[str, Any]]
    action_line: str | None
    label_zh: str


@dataclass
class Chart:
    name: str
    viz_type: str
    dataset: Dataset
    params: dict[str, Any]
    query: dict[str, Any]
    width: int = 6
    height: int = 50

    @property
    def uuid(self) -> str:
        return stable_uuid("chart", self.name)


@dataclass
class Dashboard:
    slug: str
    title: str
    rows: list[list[Chart | str]]  # a str is a markdown block

    @property
    def uuid(self) -> str:
        return stable_uuid("dashboard", self.slug)


class Bundle:
    """Everything to import, derived from the semantic layer and what the serving file holds."""

    database_name = DATABASE_NAME

    def __init__(self, serving: Path, semantic: dict[str, Any] | None = None) -> None:
        self.serving = serving
        self.semantic = semantic or load_semantic_layer()
        self.models = dbt_models()
        self.served = read_serving(serving)
        self.lines = self.semantic["action_lines"]
        self.datasets: dict[str, Dataset] = {}
        self._build_datasets()
        self.dashboards = [self._overview(), *(self._line_dashboard(line) for line in self.lines)]

    # -- datasets --
    def _region_column(self, table: ServedTable) -> str | None:
        names = [name for name, _ in table.columns]
        for candidate in self.semantic["region_columns"]:
            if candidate in names:
                return str(candidate)
        for suffix in ("_county_code", "town_code", "village_code"):
            for name in names:
                if name.endswith(suffix):
                    return name
        return None

    def _metrics(self, table: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ok = valid_expressions(
            self.serving, table, {m["name"]: m["expression"] for m in specs}, aggregate=True
        )
        return [m for m in specs if m["name"] in ok]

    def _build_datasets(self) -> None:
        spec = self.semantic["kpi_progress"]
        table = self.served.tables[spec["table"]]
        dims = valid_expressions(
            self.serving,
            spec["table"],
            {d["name"]: d["expression"] for d in spec["dimensions"]},
            aggregate=False,
        )
        self.datasets["kpi_progress"] = Dataset(
            table=table,
            uuid=stable_uuid("dataset", table.key),
            region_column=self._region_column(table),
            metrics=self._metrics(spec["table"], spec["metrics"]),
            dimensions=[d for d in spec["dimensions"] if d["name"] in dims],
            action_line=None,
            label_zh=spec["label_zh"],
        )
        folders = {line["marts_folder"]: line["code"] for line in self.lines}
        marts = self.semantic["marts"]
        for key, table in sorted(self.served.tables.items()):
            if table.schema != "marts" or not table.name.startswith("fct_"):
                continue
            model = self.models.get(table.name, {})
            own = (marts.get("tables") or {}).get(table.name, {})
            region_column = self._region_column(table)
            self.datasets[table.name] = Dataset(
                table=table,
                uuid=stable_uuid("dataset", key),
                region_column=region_column,
                metrics=self._metrics(key, [*marts["metrics"], *(own.get("metrics") or [])]),
                dimensions=[_district_name(region_column)] if region_column else [],
                action_line=folders.get(model.get("folder", "")),
                label_zh=_label(model.get("description", "")) or table.name,
            )

    # -- charts --
    def _kpi_charts(self, kpi: Kpi) -> list[Chart]:
        ds = self.datasets["kpi_progress"]
        ratio = kpi.measure_type == "ratio"
        value = "ratio_value" if ratio else "count_value"
        fmt = ".1%" if ratio else ",d"
        kpi_filter = _filter("kpi_code", "==", kpi.code)
        trend = Chart(
            name=f"{kpi.code} {kpi.name_zh}·月度趋势",
            viz_type="echarts_timeseries_line",
            dataset=ds,
            params={
                "x_axis": "period_month",
                "time_grain_sqla": "P1M",
                "metrics": [value],
                "groupby": ["region_name"],
                "adhoc_filters": [kpi_filter],
                "y_axis_format": fmt,
                "x_axis_time_format": "%Y-%m",
                "show_legend": True,
                "legendOrientation": "top",
                "markerEnabled": True,
                "rich_tooltip": True,
                "tooltipTimeFormat": "%Y-%m",
                "row_limit": 10000,
                "truncate_metric": True,
                "color_scheme": "supersetColors",
            },
            query={
                "columns": [_base_axis("period_month", "P1M"), "region_name"],
                "metrics": [value],
                "filters": [{"col": "kpi_code", "op": "==", "val": kpi.code}],
                "orderby": [["period_month", True]],
                "series_columns": ["region_name"],
                "is_timeseries": False,
                "row_limit": 10000,
            },
        )
        latest = _filter_sql("is_latest_month", ds)
        county = _filter("region_level", "==", "county" if kpi.has_districts else "city")
        compare = Chart(
            name=f"{kpi.code} {kpi.name_zh}·区县对比（最新月）",
            viz_type="echarts_timeseries_bar",
            dataset=ds,
            params={
                "x_axis": "region_name",
                "metrics": [value, "target", "expected"],
                "groupby": [],
                "adhoc_filters": [kpi_filter, county, latest],
                "y_axis_format": fmt,
                "show_legend": True,
                "legendOrientation": "top",
                "show_value": True,
                "orientation": "vertical",
                "x_axis_sort_asc": True,
                "row_limit": 100,
                "color_scheme": "supersetColors",
            },
            query={
                "columns": [_base_axis("region_name")],
                "metrics": [value, "target", "expected"],
                "filters": [
                    {"col": "kpi_code", "op": "==", "val": kpi.code},
                    {"col": "region_level", "op": "==", "val": county["comparator"]},
                ],
                "extras": {"where": f"({_dimension_sql(ds, 'is_latest_month')})"},
                "orderby": [["region_name", True]],
                "row_limit": 100,
            },
        )
        return [trend, compare]

    def _progress_table(self, line: str | None) -> Chart:
        ds = self.datasets["kpi_progress"]
        columns = [
            "plan_year",
            "action_line_label",
            "kpi_label",
            "region_name",
            "actual_display",
            "target_display",
            "expected_display",
            "attainment_ratio",
            "pace_ratio",
            "status",
        ]
        if line:
            columns.remove("action_line_label")
        if any(d["name"] == "figures_display" for d in ds.dimensions):
            columns.append("figures_display")  # 数据暂停更新, why and the figures' date
        filters = [_filter_sql("is_latest_month", ds)]
        query_filters = []
        if line:
            filters.append(_filter("action_line", "==", line))
            query_filters.append({"col": "action_line", "op": "==", "val": line})
        title = "各指标进度（最新月，按区县）"
        kpis = [k for k in self.served.kpis if line is None or k.action_line == line]
        rows = sum(1 + len(DISTRICTS) * k.has_districts for k in kpis)
        height = max(30, min(220, (110 + 33 * rows) // 8))  # grid units of 8 px: all rows shown
        return Chart(
            name=f"{line or '总览'}·{title}",
            viz_type="table",
            dataset=ds,
            width=12,
            height=height,
            params={
                "query_mode": "raw",
                "all_columns": columns,
                "adhoc_filters": filters,
                "order_by_cols": [
                    json.dumps(["kpi_code", True]),
                    json.dumps(["region_code", True]),
                ],
                "row_limit": 1000,
                "server_pagination": False,
                "page_length": 0,
                "include_search": True,
                "show_cell_bars": False,
                "table_timestamp_format": "smart_date",
                "column_config": {
                    "plan_year": {"d3NumberFormat": "d"},
                    "attainment_ratio": {"d3NumberFormat": ".1%"},
                    "pace_ratio": {"d3NumberFormat": ".1%"},
                },
                "conditional_formatting": [
                    {
                        "column": "pace_ratio",
                        "operator": "≥",
                        "targetValue": 1,
                        "colorScheme": STATUS_COLOURS["达标"],
                    },
                    {
                        "column": "pace_ratio",
                        "operator": "<",
                        "targetValue": 1,
                        "colorScheme": STATUS_COLOURS["滞后"],
                    },
                ],
            },
            query={
                "columns": columns,
                "metrics": None,
                "filters": query_filters,
                "extras": {"where": f"({_dimension_sql(ds, 'is_latest_month')})"},
                "orderby": [["kpi_code", True], ["region_code", True]],
                "row_limit": 1000,
            },
        )

    def _status_chart(self) -> Chart:
        ds = self.datasets["kpi_progress"]
        return Chart(
            name="总览·指标状态分布（最新月）",
            viz_type="echarts_timeseries_bar",
            dataset=ds,
            width=12,
            height=50,
            params={
                "x_axis": "region_name",
                "metrics": ["kpi_count"],
                "groupby": ["status"],
                "adhoc_filters": [_filter_sql("is_latest_month", ds)],
                "stack": "Stack",
                "show_legend": True,
                "legendOrientation": "top",
                "show_value": True,
                "y_axis_format": ",d",
                "row_limit": 1000,
                "color_scheme": "supersetColors",
            },
            query={
                "columns": [_base_axis("region_name"), "status"],
                "metrics": ["kpi_count"],
                "filters": [],
                "extras": {"where": f"({_dimension_sql(ds, 'is_latest_month')})"},
                "series_columns": ["status"],
                "orderby": [["kpi_count", False]],
                "row_limit": 1000,
            },
        )

    def _fact_charts(self, ds: Dataset) -> list[Chart]:
        charts: list[Chart] = []
        metric_names = [m["name"] for m in ds.metrics]
        # A summary by district where the semantic layer gives the table metrics of its own.
        if ds.region_column and len(metric_names) > 1:
            charts.append(
                Chart(
                    name=f"{ds.label_zh}·按区县",
                    viz_type="table",
                    dataset=ds,
                    params={
                        "query_mode": "aggregate",
                        "groupby": ["district_name"],
                        "metrics": metric_names,
                        "adhoc_filters": [],
                        "row_limit": 1000,
                        "order_desc": True,
                        "server_pagination": False,
                        "include_search": False,
                    },
                    query={
                        "columns": ["district_name"],
                        "metrics": metric_names,
                        "filters": [],
                        "orderby": [[metric_names[0], False]],
                        "row_limit": 1000,
                    },
                )
            )
        columns = [name for name, _ in ds.table.columns][:14]
        charts.append(
            Chart(
                name=f"{ds.label_zh}·明细",
                viz_type="table",
                dataset=ds,
                width=12,
                params={
                    "query_mode": "raw",
                    "all_columns": columns,
                    "adhoc_filters": [],
                    "row_limit": 500,
                    "server_pagination": False,
                    "page_length": 20,
                    "include_search": True,
                    "table_timestamp_format": "%Y-%m-%d",
                },
                query={"columns": columns, "metrics": None, "filters": [], "row_limit": 500},
            )
        )
        return charts

    # -- dashboards --
    def _overview(self) -> Dashboard:
        overview = self.semantic["overview_dashboard"]
        intro = (
            f"## {overview['title']}\n"
            "每项指标的实际值、目标值、序时进度与状态（最新月，市本级与各区县）。"
            "序时完成率 = 实际值 ÷ 序时进度：绿色为达标或序时达标，红色为滞后。"
        )
        return Dashboard(
            slug=overview["slug"],
            title=overview["title"],
            rows=[[intro], [self._status_chart()], [self._progress_table(None)]],
        )

    def _line_dashboard(self, line: dict[str, Any]) -> Dashboard:
        code = line["code"]
        rows: list[list[Chart | str]] = [
            [f"## {line['name_zh']}\n指标月度趋势、区县对比（实际值与目标、序时进度）与明细事实。"]
        ]
        kpis = [kpi for kpi in self.served.kpis if kpi.action_line == code]
        if kpis:
            rows.append([self._progress_table(code)])
        for kpi in kpis:
            rows.append(list(self._kpi_charts(kpi)))
        for ds in self.datasets.values():
            if ds.action_line == code:
                rows.extend([chart] for chart in self._fact_charts(ds))
        return Dashboard(slug=line["dashboard"], title=line["name_zh"], rows=rows)

    # -- serialisation --
    def charts(self) -> list[Chart]:
        seen: dict[str, Chart] = {}
        for dashboard in self.dashboards:
            for row in dashboard.rows:
                for item in row:
                    if isinstance(item, Chart):
                        seen[item.uuid] = item
        return list(seen.values())

    def files(self) -> dict[str, str]:
        """path -> YAML text, the layout ImportAssetsCommand reads."""
        out: dict[str, str] = {}
        timestamp = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
        out["metadata.yaml"] = _yaml({"version": "1.0.0", "type": "assets", "timestamp": timestamp})
        out["databases/minzheng.yaml"] = _yaml(self._database())
        for name, ds in self.datasets.items():
            out[f"datasets/minzheng/{name}.yaml"] = _yaml(self._dataset(ds))
        for chart in self.charts():
            out[f"charts/{chart.uuid}.yaml"] = _yaml(self._chart(chart))
        for dashboard in self.dashboards:
            out[f"dashboards/{dashboard.slug}.yaml"] = _yaml(self._dashboard(dashboard))
        return out

    def _database(self) -> dict[str, Any]:
        return {
            "database_name": DATABASE_NAME,
            "sqlalchemy_uri": f"duckdb:///{self.serving}",
            "cache_timeout": None,
            "expose_in_sqllab": False,
            "allow_run_async": False,
            "allow_ctas": False,
            "allow_cvas": False,
            "allow_dml": False,
            "allow_csv_upload": False,
            "extra": {
                "engine_params": {"connect_args": {"read_only": True}},
                "metadata_params": {},
                "schemas_allowed_for_file_upload": [],
                "allows_virtual_table_explore": False,
            },
            "uuid": stable_uuid("database", "minzheng"),
            "version": "1.0.0",
        }

    def _dataset(self, ds: Dataset) -> dict[str, Any]:
        labels = self.models.get(ds.table.name, {}).get("columns", {})
        columns = []
        for name, data_type in ds.table.columns:
            columns.append(
                {
                    "column_name": name,
                    "verbose_name": labels.get(name) or None,
                    "is_dttm": data_type.upper()
                    in {"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"},
                    "is_active": True,
                    "type": data_type,
                    "groupby": True,
                    "filterable": True,
                    "expression": None,
                    "description": None,
                    "python_date_format": None,
                    "extra": {},
                }
            )
        for dim in ds.dimensions:
            columns.append(
                {
                    "column_name": dim["name"],
                    "verbose_name": dim["label_zh"],
                    "is_dttm": False,
                    "is_active": True,
                    "type": None,
                    "groupby": True,
                    "filterable": True,
                    "expression": " ".join(dim["expression"].split()),
                    "description": dim.get("description"),
                    "python_date_format": None,
                    "extra": {},
                }
            )
        dttm = "period_month" if ds.table.name == "kpi_progress" else None
        return {
            "table_name": ds.table.name,
            "main_dttm_col": dttm,
            "description": ds.label_zh,
            "default_endpoint": None,
            "offset": 0,
            "cache_timeout": None,
            "schema": ds.table.schema,
            "sql": None,
            "params": None,
            "template_params": None,
            "filter_select_enabled": True,
            "fetch_values_predicate": None,
            "extra": {"minzheng_region_column": ds.region_column},
            "uuid": ds.uuid,
            "metrics": [
                {
                    "metric_name": m["name"],
                    "verbose_name": m["label_zh"],
                    "metric_type": None,
                    "expression": " ".join(m["expression"].split()),
                    "description": m.get("description"),
                    "d3format": m.get("format"),
                    "extra": {},
                    "warning_text": None,
                }
                for m in ds.metrics
            ],
            "columns": columns,
            "version": "1.0.0",
            "database_uuid": stable_uuid("database", "minzheng"),
        }

    def _chart(self, chart: Chart) -> dict[str, Any]:
        params = {
            "viz_type": chart.viz_type,
            "datasource": "1__table",  # rewritten to the real id by the importer
            "time_range": "No filter",
            **chart.params,
        }
        query = {
            "filters": [],
            "extras": {"having": "", "where": ""},
            "applied_time_extras": {},
            "annotation_layers": [],
            "series_limit": 0,
            "order_desc": True,
            "url_params": {},
            "custom_params": {},
            "custom_form_data": {},
            "time_range": "No filter",
            **chart.query,
        }
        query["extras"] = {"having": "", "where": "", **chart.query.get("extras", {})}
        query_context = {
            "datasource": {"id": 1, "type": "table"},
            "force": False,
            "queries": [query],
            "form_data": params,
            "result_format": "json",
            "result_type": "full",
        }
        return {
            "slice_name": chart.name,
            "description": None,
            "certified_by": None,
            "certification_details": None,
            "viz_type": chart.viz_type,
            "params": params,
            "query_context": json.dumps(query_context, ensure_ascii=False),
            "cache_timeout": None,
            "uuid": chart.uuid,
            "version": "1.0.0",
            "dataset_uuid": chart.dataset.uuid,
        }

    def _dashboard(self, dashboard: Dashboard) -> dict[str, Any]:
        position: dict[str, Any] = {
            "DASHBOARD_VERSION_KEY": "v2",
            "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
            "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
            "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": dashboard.title}},
        }
        for r, row in enumerate(dashboard.rows):
            row_id = f"ROW-{r}"
            position["GRID_ID"]["children"].append(row_id)
            position[row_id] = {
                "type": "ROW",
                "id": row_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
            for c, item in enumerate(row):
                parents = ["ROOT_ID", "GRID_ID", row_id]
                if isinstance(item, str):
                    item_id = f"MARKDOWN-{r}-{c}"
                    position[item_id] = {
                        "type": "MARKDOWN",
                        "id": item_id,
                        "children": [],
                        "parents": parents,
                        "meta": {"width": 12, "height": 18, "code": item},
                    }
                else:
                    item_id = f"CHART-{item.uuid[:8]}"
                    position[item_id] = {
                        "type": "CHART",
                        "id": item_id,
                        "children": [],
                        "parents": parents,
                        "meta": {
                            "width": item.width,
                            "height": item.height,
                            "chartId": 0,
                            "uuid": item.uuid,
                            "sliceName": item.name,
                        },
                    }
                position[row_id]["children"].append(item_id)
        return {
            "dashboard_title": dashboard.title,
            "description": None,
            "css": "",
            "slug": dashboard.slug,
            "uuid": dashboard.uuid,
            "position": position,
            "metadata": {
                "color_scheme": "supersetColors",
                "label_colors": {**STATUS_COLOURS, **SERIES_COLOURS},
                "shared_label_colors": [],
                "color_scheme_domain": [],
                "cross_filters_enabled": False,
                "native_filter_configuration": [],
                "refresh_frequency": 0,
                "timed_refresh_immune_slices": [],
                "expanded_slices": {},
                "default_filters": "{}",
            },
            "version": "1.0.0",
            "published": True,
        }


# --- helpers ----------------------------------------------------------------------------------------


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _district_name(region_column: str) -> dict[str, Any]:
    """区县: the district (or 市本级) a fact row belongs to, from its region column."""
    cases = " ".join(f"when '{code}' then '{name}'" for code, name in DISTRICTS.items())
    return {
        "name": "district_name",
        "label_zh": "区县",
        "expression": f"case substr(cast({region_column} as varchar), 1, 6) {cases}"
        " when '321200' then '市本级' else '其他' end",
    }


def _filter(column: str, operator: str, value: Any) -> dict[str, Any]:
    return {
        "expressionType": "SIMPLE",
        "subject": column,
        "operator": operator,
        "operatorId": "EQUALS",
        "comparator": value,
        "clause": "WHERE",
        "isExtra": False,
        "isNew": False,
        "filterOptionName": f"filter_{column}_{value}",
    }


def _dimension_sql(ds: Dataset, name: str) -> str:
    for dim in ds.dimensions:
        if dim["name"] == name:
            return " ".join(dim["expression"].split())
    raise KeyError(name)


def _filter_sql(name: str, ds: Dataset) -> dict[str, Any]:
    return {
        "expressionType": "SQL",
        "sqlExpression": _dimension_sql(ds, name),
        "clause": "WHERE",
        "isExtra": False,
        "isNew": False,
        "filterOptionName": f"filter_{name}",
    }


def _base_axis(column: str, time_grain: str | None = None) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "columnType": "BASE_AXIS",
        "sqlExpression": column,
        "label": column,
        "expressionType": "SQL",
    }
    if time_grain:
        axis["timeGrain"] = time_grain
    return axis

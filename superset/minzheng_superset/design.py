"""How the dashboards look: which charts each holds, in which order, in which colours.

One visual language on every chart: one colour per meaning (实际值, 目标值, 序时进度, each status,
each region), legends in one order (实际值, 目标值, 序时进度), no value labels on grouped bars, integer
axes for counts, 序时进度 drawn only where it differs from the target. Districts, action lines and
KPIs come from the serving file (inputs.Served), in administrative and catalog order.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minzheng_superset import inputs
from minzheng_superset.inputs import Kpi, Served, ServedTable

NAMESPACE = uuid.UUID("6f1f9a52-0f0e-4d55-9a37-3f0d1a7c2e10")


def stable_uuid(*parts: str) -> str:
    """Every object's UUID derives from its name: re-importing overwrites in place."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


# Status colours, in the order every legend lists them.
STATUS_COLOURS = {
    "达标": "#1A7F37",
    "序时达标": "#54AEFF",
    "滞后": "#D1242F",
    "监测": "#8C959F",
    "无数据": "#D0D7DE",
    "不公开": "#8250DF",
}
# The same series look the same on every chart: actual blue, target slate, 序时进度 amber.
ACTUAL_COLOUR, TARGET_COLOUR, EXPECTED_COLOUR = "#1F77B4", "#44546A", "#E8A33D"
# Regions (city first, then districts in administrative order) take these in turn.
REGION_PALETTE = ["#0B3D91", "#2CA02C", "#9467BD", "#17BECF", "#FF7F0E", "#8C564B", "#E377C2"]
CITY_SCOPE = "全市指标"
# A fact dataset's row that stands for a district without records (is_record false).
NO_RECORDS = "本区暂无记录"
# Columns a reader does not need in a fact table's default view.
TECHNICAL_SUFFIXES = ("_id", "_key", "_version", "_at", "_utc", "_hash", "_rank")
TECHNICAL_NAMES = {"record_version", "source_system", "batch_id", "quarantine_rule", "is_record"}
MONEY_HINTS = ("amount", "_yuan", "spending", "subsidy_total")


@dataclass
class Dataset:
    table: ServedTable
    uuid: str
    region_column: str | None
    metrics: list[dict[str, Any]]
    dimensions: list[dict[str, Any]]
    action_line: str | None
    label_zh: str
    labels: dict[str, str] = field(default_factory=dict)  # column -> Chinese label
    # District roles also see the city's rows: the KPI table (city-scope KPIs, city totals) and
    # city-scope fact tables, whose rows all sit at one place (else a district's view is empty).
    city_rows: bool = False
    # The dataset's SQL when it is not the table itself (a fact table with its districts).
    sql: str | None = None

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [*self.table.columns, *([("is_record", "BOOLEAN")] if self.sql else [])]


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
class Markdown:
    text: str
    width: int = 12
    height: int = 18


@dataclass
class Dashboard:
    slug: str
    title: str
    rows: list[list[Chart | Markdown]]
    css: str = ""


class Design:
    """Datasets and dashboards from the semantic layer, the dbt labels and the serving file."""

    def __init__(self, serving: Path, semantic: dict[str, Any]) -> None:
        self.serving = serving
        self.semantic = semantic
        self.models = inputs.dbt_models()
        self.served: Served = inputs.read_serving(serving, semantic)
        self.datasets: dict[str, Dataset] = {}
        self._build_datasets()
        self.dashboards = [
            self._overview(),
            *(self._line_dashboard(line) for line in self.served.lines),
        ]

    # -- colours --
    def label_colours(self) -> dict[str, str]:
        colours = dict(STATUS_COLOURS)
        for metric in ("ratio_value", "count_value", "kpi_value"):
            colours[self._metric_label(metric)] = ACTUAL_COLOUR
        colours[self._metric_label("target")] = TARGET_COLOUR
        colours[self._metric_label("expected")] = EXPECTED_COLOUR
        for region, colour in zip(self.served.regions, REGION_PALETTE, strict=False):
            colours[region.name] = colour
        return colours

    def _metric_label(self, name: str) -> str:
        spec = self.semantic["kpi_progress"]["metrics"]
        return str(next(m["label_zh"] for m in spec if m["name"] == name))

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

    def _valid(self, source: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The specs whose expressions DuckDB accepts on source (a table, or a dataset's SQL)."""
        ok = inputs.valid_expressions(
            self.serving, source, {s["name"]: s["expression"] for s in specs}
        )
        return [s for s in specs if s["name"] in ok]

    def _build_datasets(self) -> None:
        spec = self.semantic["kpi_progress"]
        table = self.served.tables[spec["table"]]
        dimensions = [*spec["dimensions"], self._action_line_label(), self._kpi_order()]
        self.datasets["kpi_progress"] = Dataset(
            table=table,
            uuid=stable_uuid("dataset", table.key),
            region_column=self._region_column(table),
            metrics=self._valid(spec["table"], [*spec["metrics"], *self._matrix_metrics()]),
            dimensions=self._valid(spec["table"], dimensions),
            action_line=None,
            label_zh=spec["label_zh"],
            labels=self.models.get(table.name, {}).get("columns", {}),
            city_rows=True,
        )
        folders = {line.marts_folder: line.code for line in self.served.lines}
        marts = self.semantic["marts"]
        for key, table in sorted(self.served.tables.items()):
            if table.schema != "marts" or not table.name.startswith("fct_"):
                continue
            model = self.models.get(table.name, {})
            own = (marts.get("tables") or {}).get(table.name, {})
            region_column = self._region_column(table)
            city_rows = bool(region_column) and inputs.is_city_scope(
                self.serving, key, str(region_column)
            )
            by_district = bool(region_column) and not city_rows
            sql = self._fact_sql(table, region_column if by_district else None)
            labels = dict(model.get("columns", {}))
            labels["is_record"] = f"是否记录（否：{NO_RECORDS}）"
            dimensions = []
            if region_column:
                dimensions.append(self._district_name(region_column))
            if region_column and by_district:
                dimensions.append(self._district_label(region_column))
            dimensions += [_yes_no(name, labels.get(name) or name) for name in _booleans(table)]
            self.datasets[table.name] = Dataset(
                table=table,
                uuid=stable_uuid("dataset", key),
                region_column=region_column,
                metrics=self._valid(f"({sql})", [*marts["metrics"], *(own.get("metrics") or [])]),
                dimensions=self._valid(f"({sql})", dimensions),
                action_line=folders.get(model.get("folder", "")),
                label_zh=model.get("label") or table.name,
                labels=labels,
                city_rows=city_rows,
                sql=sql,
            )

    def _fact_sql(self, table: ServedTable, region_column: str | None) -> str:
        """A fact table's records (is_record) and, when it spans districts, one row for each
        district of dim_region without any: a district's view then shows the district with no
        records (0, 本区暂无记录), never an empty chart. The row carries only the district."""
        sql = f"select *, true as is_record from {table.key}"
        if region_column is None or "conformed.dim_region" not in self.served.tables:
            return sql
        district = inputs.district_code(region_column)
        return (
            f"{sql}\nunion all by name\n"
            f"select region_code as {region_column}, false as is_record"
            " from conformed.dim_region where region_level = 'county'"
            f" and region_code not in (select {district} from {table.key}"
            f" where {region_column} is not null)"
        )

    def _action_line_label(self) -> dict[str, Any]:
        cases = " ".join(f"when '{line.code}' then '{line.name_zh}'" for line in self.served.lines)
        return {
            "name": "action_line_label",
            "label_zh": "行动",
            "expression": f"case action_line {cases} else action_line end",
        }

    def _kpi_order(self) -> dict[str, Any]:
        cases = " ".join(f"when '{kpi.code}' then {kpi.catalog_order}" for kpi in self.served.kpis)
        return {
            "name": "kpi_order",
            "label_zh": "目录顺序",
            "expression": f"case kpi_code {cases} else 999 end",
        }

    def _district_name(self, region_column: str) -> dict[str, Any]:
        """区县: the district (or 市本级) a fact row belongs to, from its region column."""
        cases = " ".join(
            f"when '{region.code}' then '{region.name if region.level == 'county' else '市本级'}'"
            for region in self.served.regions
        )
        return {
            "name": "district_name",
            "label_zh": "区县",
            "expression": f"case {inputs.district_code(region_column)} {cases}"
            " else '其他' end",
        }

    def _district_label(self, region_column: str) -> dict[str, Any]:
        """区县 in a fact table's detail: the district, or that it has no records."""
        name = self._district_name(region_column)["expression"]
        return {
            "name": "district_label",
            "label_zh": "区县",
            "expression": f"case when is_record then {name} else {name} || '：{NO_RECORDS}' end",
        }

    def _matrix_metrics(self) -> list[dict[str, Any]]:
        """One status per region (the matrix columns), and the catalog order to sort rows by.

        A region's status is null when the reader sees none of its rows (row-level security), so
        the matrix has no column for it; '—' where a visible region has no row for the KPI (a
        city-scope KPI in a district's column)."""
        metrics = [
            {
                "name": f"status_{region.code}",
                "label_zh": self._region_heading(region),
                "expression": f"coalesce(max(case when region_code = '{region.code}'"
                " then status end), case when max(max(case when region_code ="
                f" '{region.code}' then 1 end)) over () = 1 then '—' end)",
                "format": None,
            }
            for region in self.served.regions
        ]
        orders = [
            ("kpi_order_min", "序号", self._kpi_order()["expression"]),
            ("line_order_min", "行动顺序", self._line_order()),
        ]
        metrics += [
            {"name": name, "label_zh": label, "expression": f"min({expression})", "format": ",d"}
            for name, label, expression in orders
        ]
        return metrics

    def _line_order(self) -> str:
        cases = " ".join(f"when '{line.code}' then {i}" for i, line in enumerate(self.served.lines))
        return f"case action_line {cases} else 99 end"

    def _region_heading(self, region: inputs.Region) -> str:
        return f"{region.name}（全市）" if region.level == "city" else region.name

    # -- the overview --
    def _overview(self) -> Dashboard:
        overview = self.semantic["overview_dashboard"]
        legend = "、".join(STATUS_COLOURS)  # markdown loses inline colours: the matrix shows them
        month = self.served.data_month
        when = (
            f"数据月份 **{month:%Y年%m月}**，数据截至 {self.served.data_as_of}。" if month else ""
        )
        intro = (
            f"## {overview['title']}\n{when}"
            "左为数据月份，右为各行动的指标状态数（全市；区县账号为本区县），"
            "下表为每项指标在全市与各区县（区县账号为本区县）的状态，"
            "指标按目录顺序（序号）、区县按行政区划顺序排列。"
            f"\n\n状态：{legend}。{self.served.status_rules['不公开']}"
        )
        return Dashboard(
            slug=overview["slug"],
            title=overview["title"],
            rows=[
                [Markdown(intro, height=22)],
                [self._data_month_chart(), self._headline_chart()],
                [self._status_matrix()],
            ],
            # The matrix is a pivot table, which names its columns 指标 (metrics): they are regions.
            css=".pvtTable thead tr:first-child .pvtAxisLabel { visibility: hidden; }",
        )

    def _latest(self) -> dict[str, Any]:
        return _filter_sql("is_latest_month", self.datasets["kpi_progress"])

    def _latest_where(self) -> str:
        return f"({_dimension_sql(self.datasets['kpi_progress'], 'is_latest_month')})"

    def _data_month_chart(self) -> Chart:
        ds = self.datasets["kpi_progress"]
        metrics = [
            _adhoc("strftime(max(period_month), '%Y年%m月')", "数据月份"),
            _adhoc("strftime(max(data_as_of), '%Y-%m-%d')", "数据截至"),
        ]
        return Chart(
            name="总览·数据月份",
            viz_type="table",
            dataset=ds,
            width=3,
            height=max(26, (110 + 33 * (len(self.served.lines) + 1)) // 8),
            params={
                "query_mode": "aggregate",
                "groupby": [],
                "metrics": metrics,
                "adhoc_filters": [self._latest()],
                "row_limit": 10,
                "include_search": False,
                "server_pagination": False,
                "show_totals": False,
                "show_cell_bars": False,
            },
            query={
                "columns": [],
                "metrics": metrics,
                "filters": [],
                "extras": {"where": self._latest_where()},
                "row_limit": 10,
            },
        )

    def _headline_chart(self) -> Chart:
        """Per action line, how many KPIs are 达标 / 序时达标 / 滞后 / 监测 (and 无数据, 不公开)."""
        ds = self.datasets["kpi_progress"]
        names = ["kpi_headline_total", *(f"kpi_headline_{key}" for key in _STATUS_KEYS.values())]
        metrics = [m for m in names if any(d["name"] == m for d in ds.metrics)]
        sort = _adhoc(f"min({self._line_order()})", "行动顺序")
        formatting = [
            _colour_rule(f"kpi_headline_{key}", ">", 0, STATUS_COLOURS[status])
            for status, key in _STATUS_KEYS.items()
            if f"kpi_headline_{key}" in metrics
        ]
        return Chart(
            name="总览·各行动指标状态（最新月）",
            viz_type="table",
            dataset=ds,
            width=9,
            height=max(26, (110 + 33 * (len(self.served.lines) + 1)) // 8),
            params={
                "query_mode": "aggregate",
                "groupby": ["action_line_label"],
                "metrics": metrics,
                "adhoc_filters": [self._latest()],
                "timeseries_limit_metric": sort,
                "order_desc": False,
                "row_limit": 100,
                "include_search": False,
                "server_pagination": False,
                "show_totals": True,
                "show_cell_bars": False,
                "conditional_formatting": formatting,
            },
            query={
                "columns": ["action_line_label"],
                "metrics": metrics,
                "filters": [],
                "extras": {"where": self._latest_where()},
                "orderby": [[sort, True]],
                "row_limit": 100,
            },
        )

    def _status_matrix(self) -> Chart:
        """KPI × region, each cell its status colour: catalog order down, the city then the
        districts in administrative order across.

        A pivot table, because its columns come from the rows the reader may see: a region whose
        status is null in every row (another district, for a district account) has no column.
        Rows sort by their smallest value, the catalog number (序号, the first column): numbers
        sort before the status texts."""
        ds = self.datasets["kpi_progress"]
        regions = [f"status_{region.code}" for region in self.served.regions]
        metrics = ["kpi_order_min", *regions]
        formatting = [
            {
                "column": column,
                "operator": "begins with",
                "targetValue": status,
                "colorScheme": colour,
            }
            for column in regions
            for status, colour in STATUS_COLOURS.items()
        ]
        rows = len(self.served.kpis)
        return Chart(
            name="总览·指标 × 区县状态（最新月）",
            viz_type="pivot_table_v2",
            dataset=ds,
            width=12,
            height=max(40, (120 + 33 * rows) // 8),
            params={
                "groupbyRows": ["action_line_label", "kpi_label"],
                "groupbyColumns": [],
                "metrics": metrics,
                "metricsLayout": "COLUMNS",
                "adhoc_filters": [self._latest()],
                "row_limit": 1000,
                "aggregateFunction": "First",
                "rowOrder": "value_a_to_z",
                "colOrder": "key_a_to_z",
                "rowTotals": False,
                "colTotals": False,
                "rowSubTotals": False,
                "colSubTotals": False,
                "transposePivot": False,
                "combineMetric": False,
                "valueFormat": ",d",
                "conditional_formatting": formatting,
            },
            query={
                "columns": ["action_line_label", "kpi_label"],
                "metrics": metrics,
                "filters": [],
                "extras": {"where": self._latest_where()},
                "orderby": [["kpi_order_min", True]],
                "row_limit": 1000,
            },
        )

    # -- an action line --
    def _line_dashboard(self, line: inputs.ActionLine) -> Dashboard:
        kpis = [kpi for kpi in self.served.kpis if kpi.action_line == line.code]
        rows: list[list[Chart | Markdown]] = [
            [
                Markdown(
                    f"## {line.name_zh}\n各项指标的最新月进度（状态颜色与总览相同，"
                    f"上年同期与同比为与上年同月相比），"
                    f"每项指标的月度趋势（含上一年）与区县对比（实际值、目标值，累计类指标另有序时进度），"
                    f"以及明细事实。标有「{CITY_SCOPE}」的指标只在全市层面考核。"
                    + (f"\n\n{self.served.status_rules['不公开']}" if line.code == "CH" else ""),
                    height=16,
                )
            ]
        ]
        if kpis:
            rows.append([self._progress_table(line.code, kpis)])
        for kpi in kpis:
            rows.append([*self._kpi_charts(kpi)])
        for ds in self.datasets.values():
            if ds.action_line == line.code:
                rows.extend([chart] for chart in self._fact_charts(ds))
        return Dashboard(slug=line.dashboard, title=line.name_zh, rows=rows)

    def _progress_table(self, line: str, kpis: list[Kpi]) -> Chart:
        ds = self.datasets["kpi_progress"]
        columns = [
            "kpi_label",
            "region_name",
            "actual_display",
            "target_display",
            "expected_display",
            "attainment_display",
            "status",
        ]
        present = {d["name"] for d in ds.dimensions}
        # 同比, then 数据暂停更新 (why, and the figures' date), where the serving file has them.
        columns += [
            name
            for name in ("last_year_display", "year_on_year_display", "figures_display")
            if name in present
        ]
        regions = len(self.served.districts)
        rows = sum(1 + regions * kpi.has_districts for kpi in kpis)
        formatting = [
            {"column": "status", "operator": "begins with", "targetValue": s, "colorScheme": c}
            for s, c in STATUS_COLOURS.items()
        ]
        return Chart(
            name=f"{line}·各指标进度（最新月）",
            viz_type="table",
            dataset=ds,
            width=12,
            height=max(30, min(260, (110 + 33 * rows) // 8)),  # grid units of 8 px: all rows
            params={
                "query_mode": "raw",
                "all_columns": columns,
                "adhoc_filters": [self._latest(), _filter("action_line", "==", line)],
                "order_by_cols": [
                    json.dumps(["kpi_order", True]),
                    json.dumps(["region_code", True]),
                ],
                "row_limit": 1000,
                "server_pagination": False,
                "page_length": 0,
                "include_search": False,
                "show_cell_bars": False,
                "conditional_formatting": formatting,
            },
            query={
                "columns": columns,
                "metrics": None,
                "filters": [{"col": "action_line", "op": "==", "val": line}],
                "extras": {"where": self._latest_where()},
                "orderby": [["kpi_order", True], ["region_code", True]],
                "row_limit": 1000,
            },
        )

    def _kpi_charts(self, kpi: Kpi) -> list[Chart]:
        ds = self.datasets["kpi_progress"]
        value = "ratio_value" if kpi.is_ratio else "count_value"
        fmt = ".1%" if kpi.is_ratio else ",d"
        scope = "" if kpi.has_districts else f"（{CITY_SCOPE}）"
        # Counts below 5 would get ticks of 0.2 that read "0 0 1 1 1": a fixed 0-5 axis instead.
        bounds: list[int | None] = (
            [0, 5] if not kpi.is_ratio and kpi.largest_value < 5 else [None, None]
        )
        kpi_filter = _filter("kpi_code", "==", kpi.code)
        level = "county" if kpi.has_districts else "city"
        trend = Chart(
            name=f"{kpi.label}·月度趋势{scope}",
            viz_type="echarts_timeseries_line",
            dataset=ds,
            params={
                "x_axis": "period_month",
                "time_grain_sqla": "P1M",
                "metrics": [value],
                "groupby": ["region_name"],
                "adhoc_filters": [kpi_filter],
                "y_axis_format": fmt,
                "y_axis_bounds": bounds,
                "x_axis_time_format": "%Y-%m",
                "show_legend": True,
                "legendOrientation": "top",
                "legendSort": None,
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
        metrics = [value, "target"]
        if kpi.expected_differs:
            metrics.append("expected")
        compare = Chart(
            name=f"{kpi.label}·{'区县对比' if kpi.has_districts else '全市'}（最新月）{scope}",
            viz_type="echarts_timeseries_bar",
            dataset=ds,
            params={
                "x_axis": "region_name",
                "metrics": metrics,
                "groupby": [],
                "adhoc_filters": [kpi_filter, _filter("region_level", "==", level), self._latest()],
                "y_axis_format": fmt,
                "y_axis_bounds": bounds,
                "show_legend": True,
                "legendOrientation": "top",
                "show_value": False,
                "orientation": "vertical",
                "x_axis_sort": self._metric_label(value),
                "x_axis_sort_asc": False,
                "row_limit": 100,
                "color_scheme": "supersetColors",
            },
            query={
                "columns": [_base_axis("region_name")],
                "metrics": metrics,
                "filters": [
                    {"col": "kpi_code", "op": "==", "val": kpi.code},
                    {"col": "region_level", "op": "==", "val": level},
                ],
                "extras": {"where": self._latest_where()},
                "orderby": [[value, False]],
                "row_limit": 100,
            },
        )
        return [trend, compare]

    # -- fact tables --
    def _fact_charts(self, ds: Dataset) -> list[Chart]:
        charts: list[Chart] = []
        metric_names = [m["name"] for m in ds.metrics]
        scope = "（全市）" if ds.city_rows else ""
        if ds.region_column and not ds.city_rows:
            sort = _adhoc(f"min(cast({ds.region_column} as varchar))", "区划顺序")
            charts.append(
                Chart(
                    name=f"{ds.label_zh}·按区县汇总",
                    viz_type="table",
                    dataset=ds,
                    params={
                        "query_mode": "aggregate",
                        "groupby": ["district_name"],
                        "metrics": metric_names,
                        "adhoc_filters": [],
                        "timeseries_limit_metric": sort,
                        "order_desc": False,
                        "row_limit": 100,
                        "server_pagination": False,
                        "include_search": False,
                        "show_totals": True,
                        "show_cell_bars": False,
                    },
                    query={
                        "columns": ["district_name"],
                        "metrics": metric_names,
                        "filters": [],
                        "orderby": [[sort, True]],
                        "row_limit": 100,
                    },
                )
            )
        columns, column_config = self._readable_columns(ds)
        charts.append(
            Chart(
                name=f"{ds.label_zh}·明细{scope}",
                viz_type="table",
                dataset=ds,
                width=12,
                params={
                    "query_mode": "raw",
                    "all_columns": columns,
                    "adhoc_filters": [],
                    "row_limit": 100000,
                    "server_pagination": True,
                    "server_page_length": 20,
                    "page_length": 20,
                    "include_search": False,
                    "show_cell_bars": False,
                    "table_timestamp_format": "%Y-%m-%d",
                    "column_config": column_config,
                },
                query={"columns": columns, "metrics": None, "filters": [], "row_limit": 20},
            )
        )
        return charts

    def _readable_columns(self, ds: Dataset) -> tuple[list[str], dict[str, Any]]:
        """Names not codes, 是/否 not true/false, money in 元 with separators; no technical or ID
        columns."""
        booleans = set(_booleans(ds.table))
        dimensions = {d["name"] for d in ds.dimensions}
        district = "district_label" if "district_label" in dimensions else "district_name"
        columns: list[str] = [district] if ds.region_column else []
        config: dict[str, Any] = {}
        for name, data_type in ds.table.columns:
            if _is_technical(name) or name.endswith("_code") or name == ds.region_column:
                continue
            if name in booleans:
                columns.append(f"{name}_zh")
                continue
            columns.append(name)
            if _is_money(name, ds.labels.get(name, "")):
                config[name] = {"d3NumberFormat": ",.2f"}
            elif data_type.upper() in {"BIGINT", "INTEGER", "HUGEINT", "SMALLINT"}:
                config[name] = {"d3NumberFormat": ",d"}
            elif data_type.upper().startswith(("DOUBLE", "DECIMAL", "FLOAT", "REAL")):
                config[name] = {"d3NumberFormat": ",.2~f"}
        return columns[:12], config

    def column_label(self, ds: Dataset, name: str) -> str | None:
        label = ds.labels.get(name) or None
        if label and _is_money(name, label) and "元" not in label:
            return f"{label}（元）"
        return label


# --- helpers ----------------------------------------------------------------------------------------

_STATUS_KEYS = {
    "达标": "met",
    "序时达标": "on_pace",
    "滞后": "behind",
    "监测": "monitor",
    "无数据": "no_data",
    "不公开": "withheld",
}


def _booleans(table: ServedTable) -> list[str]:
    return [name for name, data_type in table.columns if data_type.upper() == "BOOLEAN"]


def _is_technical(name: str) -> bool:
    return name in TECHNICAL_NAMES or name.startswith("_") or name.endswith(TECHNICAL_SUFFIXES)


def _is_money(name: str, label: str) -> bool:
    return any(hint in name for hint in MONEY_HINTS) or "金额" in label or "（元）" in label


def _yes_no(column: str, label: str) -> dict[str, Any]:
    return {
        "name": f"{column}_zh",
        "label_zh": label,
        "expression": f"case when {column} then '是' when not {column} then '否' end",
    }


def _adhoc(sql: str, label: str) -> dict[str, Any]:
    return {
        "expressionType": "SQL",
        "sqlExpression": sql,
        "label": label,
        "hasCustomLabel": True,
        "optionName": "metric_" + hashlib.sha1(sql.encode()).hexdigest()[:10],
    }


def _colour_rule(column: str, operator: str, value: Any, colour: str) -> dict[str, Any]:
    return {"column": column, "operator": operator, "targetValue": value, "colorScheme": colour}


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

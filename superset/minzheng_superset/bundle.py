"""The import bundle: the design's database, datasets, charts and dashboards as the YAML files
Superset's ImportAssetsCommand reads.

Every object gets a UUID derived from its name, so re-importing overwrites in place: the bootstrap
is idempotent and never duplicates.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from minzheng_superset import inputs
from minzheng_superset.design import Chart, Dashboard, Dataset, Design, Markdown, stable_uuid

DATABASE_NAME = "民政数据仓库（只读）"


class Bundle:
    """Everything to import, derived from the semantic layer and what the serving file holds."""

    database_name = DATABASE_NAME

    def __init__(self, serving: Path, semantic: dict[str, Any] | None = None) -> None:
        self.serving = serving
        self.design = Design(serving, semantic or inputs.load_semantic_layer())
        self.datasets: dict[str, Dataset] = self.design.datasets
        self.dashboards: list[Dashboard] = self.design.dashboards
        self.served = self.design.served

    @staticmethod
    def chart_uuid(chart: Chart) -> str:
        return chart.uuid

    def charts(self) -> list[Chart]:
        seen: dict[str, Chart] = {}
        for dashboard in self.dashboards:
            for row in dashboard.rows:
                for item in row:
                    if isinstance(item, Chart):
                        seen[self.chart_uuid(item)] = item
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
            out[f"charts/{self.chart_uuid(chart)}.yaml"] = _yaml(self._chart(chart))
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
        columns = []
        for name, data_type in ds.columns:
            columns.append(
                {
                    "column_name": name,
                    "verbose_name": self.design.column_label(ds, name),
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
            "sql": ds.sql,
            "params": None,
            "template_params": None,
            "filter_select_enabled": True,
            "fetch_values_predicate": None,
            "extra": {
                "minzheng_region_column": ds.region_column,
                "minzheng_city_rows": ds.city_rows,
            },
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
            "uuid": self.chart_uuid(chart),
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
                if isinstance(item, Markdown):
                    item_id = f"MARKDOWN-{r}-{c}"
                    position[item_id] = {
                        "type": "MARKDOWN",
                        "id": item_id,
                        "children": [],
                        "parents": parents,
                        "meta": {"width": item.width, "height": item.height, "code": item.text},
                    }
                else:
                    chart_uuid = self.chart_uuid(item)
                    item_id = f"CHART-{chart_uuid[:8]}"
                    position[item_id] = {
                        "type": "CHART",
                        "id": item_id,
                        "children": [],
                        "parents": parents,
                        "meta": {
                            "width": item.width,
                            "height": item.height,
                            "chartId": 0,
                            "uuid": chart_uuid,
                            "sliceName": item.name,
                        },
                    }
                position[row_id]["children"].append(item_id)
        return {
            "dashboard_title": dashboard.title,
            "description": None,
            "css": dashboard.css,
            "slug": dashboard.slug,
            "uuid": stable_uuid("dashboard", dashboard.slug),
            "position": position,
            "metadata": {
                "color_scheme": "supersetColors",
                "label_colors": self.design.label_colours(),
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


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

"""Extract assets: one per source entity, grouped by source system, read off the registries.

Each system's registry (sources/<system>/entities.yml) names its entities and describes them; the
system's access method decides the asset's shape (paged API, SQL table, dropped files).
"""

from __future__ import annotations

import dagster as dg

import sources.civil_registry.client as civil_registry
import sources.social_org_registry.client as registry
from orchestration.lib.extract_assets import (
    api_entity_asset,
    file_entity_asset,
    sql_table_asset,
)
from sources.common.registry import entities, system


def _assets(name: str) -> list[dg.AssetsDefinition]:
    access = system(name).access
    found = []
    for entity in entities(name).values():
        if access == "api":
            found.append(api_entity_asset(entity.name, entity.summary))
        elif access == "sql":
            found.append(sql_table_asset(entity.name, entity.summary))
        elif access == "export_files":
            found.append(
                file_entity_asset(
                    name,
                    entity.name,
                    entity.summary,
                    "registry_drop",
                    registry.list_exports,
                    registry.read_export,
                    registry.export_date,
                )
            )
        elif access == "daily_files":
            found.append(
                file_entity_asset(
                    name,
                    entity.name,
                    entity.summary,
                    "civil_inbox",
                    civil_registry.list_inbox_files,
                    civil_registry.read_daily_file,
                    civil_registry.file_date,
                )
            )
        else:
            raise ValueError(f"{name}: no extract asset for access {access!r}")
    return found


smart_assistance_assets = _assets("smart_assistance")
elderly_care_assets = _assets("elderly_care")
social_org_registry_assets = _assets("social_org_registry")
civil_registry_assets = _assets("civil_registry")

# Per system, its extract assets (the freshness checks take each system's cadence).
extract_assets_by_system: dict[str, list[dg.AssetsDefinition]] = {
    "smart_assistance": smart_assistance_assets,
    "elderly_care": elderly_care_assets,
    "social_org_registry": social_org_registry_assets,
    "civil_registry": civil_registry_assets,
}
all_extract_assets = [asset for assets in extract_assets_by_system.values() for asset in assets]

"""Extract assets: one per source entity, grouped by source system."""

from __future__ import annotations

import sources.civil_registry.client as civil_registry
import sources.social_org_registry.client as registry
from orchestration.lib.extract_assets import (
    api_entity_asset,
    file_entity_asset,
    sql_table_asset,
)

smart_assistance_assets = [
    api_entity_asset(
        "assistance_cases",
        "低保、特困、临时救助案件 from the smart assistance API, incremental on updated_at.",
    ),
    api_entity_asset(
        "child_survey_submissions",
        "留守/流动儿童监测摸排: monthly survey submissions per village or community.",
    ),
]

elderly_care_assets = [
    sql_table_asset("institutions", "养老机构 from the elderly-care database, incremental."),
    sql_table_asset(
        "bed_capacity_changes", "养老机构床位变更: bed capacity history per institution."
    ),
]

social_org_registry_assets = [
    file_entity_asset(
        "social_org_registry",
        "organizations",
        "社会组织名录: monthly full .xlsx exports of the registry.",
        "registry_drop",
        registry.list_exports,
        registry.read_export,
        registry.export_date,
    ),
    file_entity_asset(
        "social_org_registry",
        "evaluation_grades",
        "社会组织评估等级: monthly full GBK .csv exports of evaluation grades.",
        "registry_drop",
        registry.list_exports,
        registry.read_export,
        registry.export_date,
    ),
]

civil_registry_assets = [
    file_entity_asset(
        "civil_registry",
        "deaths",
        "死亡登记 (殡葬): daily files from the government data exchange.",
        "civil_inbox",
        civil_registry.list_inbox_files,
        civil_registry.read_daily_file,
        civil_registry.file_date,
    ),
]

all_extract_assets = [
    *smart_assistance_assets,
    *elderly_care_assets,
    *social_org_registry_assets,
    *civil_registry_assets,
]

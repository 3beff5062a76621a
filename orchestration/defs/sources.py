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
    api_entity_asset("persons", "持证残疾人: disability grade and household category."),
    api_entity_asset(
        "subsidy_payments",
        "救助补贴发放: every subsidy, one row per person, subsidy and month.",
    ),
    api_entity_asset("monitoring_alerts", "低收入人口动态监测预警: raised, closed, decision."),
    api_entity_asset("project_services", "救助帮扶/儿童关爱项目服务记录 (冷暖有助 … 点亮心灯)."),
    api_entity_asset("children_in_difficulty", "孤儿和事实无人抚养儿童: eligibility and standard."),
    api_entity_asset("protection_stations", "未成年人保护工作站: level, provincial upgrade."),
    api_entity_asset("child_workers", "儿童督导员 (town) and 儿童主任 (village) in post."),
    api_entity_asset("worker_trainings", "儿童督导员、儿童主任业务培训 attendance."),
]

elderly_care_assets = [
    sql_table_asset("institutions", "养老机构 from the elderly-care database, incremental."),
    sql_table_asset(
        "bed_capacity_changes", "养老机构床位变更: bed capacity history per institution."
    ),
    sql_table_asset("institution_ratings", "养老机构等级评定: GB/T 37276 grades with validity."),
    sql_table_asset("community_facilities", "社区养老设施: street centres, stations, points."),
    sql_table_asset("facility_events", "社区养老设施事件: openings, closures, upgrades."),
    sql_table_asset("service_organizations", "养老服务组织: brand/chain recognition."),
    sql_table_asset("older_residents", "60周岁以上老年人: registered older residents."),
    sql_table_asset("home_service_orders", "居家上门服务订单: incl. government purchase."),
    sql_table_asset("care_visits", "特殊困难老年人探访记录."),
    sql_table_asset("smart_tech_trainings", "老年人智能技术培训签到."),
    sql_table_asset("care_staff", "养老机构负责人和护理员, with skill certificates."),
    sql_table_asset("rotation_trainings", "养老机构负责人和护理员轮训记录."),
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
    *[
        file_entity_asset(
            "social_org_registry",
            entity,
            description,
            "registry_drop",
            registry.list_exports,
            registry.read_export,
            registry.export_date,
        )
        for entity, description in (
            ("annual_inspections", "社会组织年检: monthly full GBK .csv exports of 年检."),
            ("charity_branches", "慈善分会: monthly full .xlsx exports, by town."),
            (
                "social_worker_selections",
                "全科社工 / 金牌社工选拔: monthly full .xlsx exports of selections.",
            ),
            (
                "flagship_projects",
                "邻里中心·五美驿站精品项目: monthly full GBK .csv exports of flagship projects.",
            ),
            (
                "community_service_brands",
                "社区服务品牌: monthly full .xlsx exports of community service brands.",
            ),
        )
    ],
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
    *[
        file_entity_asset(
            "civil_registry",
            entity,
            description,
            "civil_inbox",
            civil_registry.list_inbox_files,
            civil_registry.read_daily_file,
            civil_registry.file_date,
        )
        for entity, description in (
            ("marriages", "婚姻登记 (结婚 / 离婚, 跨省通办): daily files from the data exchange."),
            (
                "ashes_facility_projects",
                "公益性骨灰安放设施项目: daily files of project versions from the data exchange.",
            ),
            (
                "funeral_home_renovation",
                "市殡仪馆改造提升: daily files of milestone versions from the data exchange.",
            ),
            (
                "rescue_station_stays",
                "救助管理站在站记录: daily files of stay versions from the data exchange.",
            ),
        )
    ],
]

all_extract_assets = [
    *smart_assistance_assets,
    *elderly_care_assets,
    *social_org_registry_assets,
    *civil_registry_assets,
]

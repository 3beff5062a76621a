{#- Written by `minzheng generate` from sources/<system>/entities.yml: edit it, not this file. -#}
{% macro raw_columns(source_name, entity) -%}
    {%- set columns = {
        "smart_assistance": {
            "assistance_cases": ["case_id", "case_type", "temp_assistance_kind", "applicant_id_number", "applicant_name", "applicant_phone", "household_id", "registered_county_code", "residence_village_code", "handling_county_code", "emergency_county_code", "origin", "discovery_channel", "case_status", "applied_date", "approved_date", "terminated_date", "monthly_amount", "one_off_amount", "created_at", "updated_at"],
            "child_survey_submissions": ["submission_id", "village_code", "survey_month", "left_behind_children", "migrant_children", "submitted_by_name", "submitted_at", "updated_at"],
            "persons": ["person_id", "id_number", "person_name", "sex", "birth_date", "registered_county_code", "residence_village_code", "household_category", "disability_grade", "disability_type", "disability_cert_date", "created_at", "updated_at"],
            "subsidy_payments": ["payment_id", "recipient_id_number", "recipient_name", "subsidy_type", "case_id", "temp_assistance_kind", "payment_month", "amount", "paying_county_code", "paid_date", "created_at", "updated_at"],
            "monitoring_alerts": ["alert_id", "person_id_number", "person_name", "county_code", "village_code", "alert_type", "alert_level", "raised_at", "closed_at", "decision", "alert_status", "created_at", "updated_at"],
            "project_services": ["service_id", "project_name", "beneficiary_id_number", "beneficiary_name", "county_code", "village_code", "service_content", "service_date", "service_status", "created_at", "updated_at"],
            "children_in_difficulty": ["child_id", "id_number", "child_name", "sex", "birth_date", "child_category", "care_mode", "county_code", "village_code", "eligible_from", "eligible_to", "monthly_standard", "guardian_phone", "created_at", "updated_at"],
            "protection_stations": ["station_id", "station_name", "county_code", "town_code", "station_level", "established_date", "provincial_demo_date", "created_at", "updated_at"],
            "child_workers": ["worker_id", "worker_name", "worker_phone", "worker_role", "county_code", "unit_code", "appointed_date", "left_date", "created_at", "updated_at"],
            "worker_trainings": ["training_id", "worker_id", "training_name", "training_level", "training_date", "training_hours", "created_at", "updated_at"],
        },
        "elderly_care": {
            "institutions": ["institution_id", "institution_name", "institution_type", "county_code", "town_code", "credit_code", "opened_date", "closed_date", "standardized_date", "updated_at"],
            "bed_capacity_changes": ["change_id", "institution_id", "effective_date", "total_beds", "nursing_beds", "updated_at"],
            "institution_ratings": ["rating_id", "institution_id", "grade", "rated_date", "valid_until", "updated_at"],
            "community_facilities": ["facility_id", "facility_name", "facility_type", "county_code", "town_code", "village_code", "opened_date", "status", "updated_at"],
            "facility_events": ["event_id", "facility_id", "event_type", "event_date", "upgrade_level", "updated_at"],
            "service_organizations": ["org_id", "org_name", "credit_code", "county_code", "recognition_type", "recognized_date", "updated_at"],
            "older_residents": ["resident_id", "id_number", "resident_name", "sex", "birth_date", "village_code", "living_alone", "left_behind", "disabled", "low_income", "updated_at"],
            "home_service_orders": ["order_id", "resident_id", "provider_org_id", "service_type", "service_date", "is_government_purchased", "order_status", "amount", "updated_at"],
            "care_visits": ["visit_id", "resident_id", "visit_date", "visit_method", "visitor_role", "updated_at"],
            "smart_tech_trainings": ["attendance_id", "resident_id", "course", "training_date", "updated_at"],
            "care_staff": ["staff_id", "id_number", "staff_name", "institution_id", "role", "hired_date", "left_date", "skill_level", "certified_date", "certificate_valid_until", "updated_at"],
            "rotation_trainings": ["training_id", "staff_id", "course", "training_date", "updated_at"],
        },
        "social_org_registry": {
            "organizations": ["统一社会信用代码", "社会组织名称", "社会组织类型", "登记管理机关代码", "登记管理机关", "成立登记日期", "登记状态", "注销撤销日期", "是否慈善组织", "法定代表人", "联系电话"],
            "evaluation_grades": ["统一社会信用代码", "社会组织名称", "评估等级", "评估得分", "评定日期", "有效期至"],
            "annual_inspections": ["统一社会信用代码", "社会组织名称", "登记管理机关代码", "年检年度", "是否应参检", "是否已报送", "报送日期", "年检结论", "结论日期"],
            "charity_branches": ["分会编号", "分会名称", "所在镇街代码", "所在镇街名称", "成立日期", "分会状态", "撤销日期"],
            "social_worker_selections": ["选拔编号", "身份证号", "姓名", "联系电话", "选拔类别", "选拔批次", "选拔日期", "县级区划代码", "工作单位"],
            "flagship_projects": ["项目编号", "项目名称", "项目类型", "实施单位", "县级区划代码", "所在镇街代码", "立项日期", "实施日期", "项目状态"],
            "community_service_brands": ["品牌编号", "品牌名称", "社区代码", "社区名称", "登记日期", "品牌状态", "撤销日期"],
        },
        "civil_registry": {
            "deaths": ["death_record_id", "record_version", "deceased_id_number", "deceased_name", "sex", "birth_date", "death_date", "registration_date", "registration_county_code", "cremated", "via_96444", "funeral_home"],
            "marriages": ["registration_id", "record_version", "registration_type", "registration_date", "registration_county_code", "registry_office", "male_id_number", "male_name", "female_id_number", "female_name", "is_cross_province", "other_province_code"],
            "ashes_facility_projects": ["project_id", "record_version", "facility_name", "county_code", "town_code", "facility_kind", "construction_type", "project_status", "started_date", "completed_date", "niche_capacity"],
            "funeral_home_renovation": ["milestone_id", "record_version", "project_id", "project_name", "county_code", "milestone_seq", "milestone", "milestone_status", "planned_date", "completed_date"],
            "rescue_station_stays": ["stay_id", "record_version", "person_id_number", "person_name", "sex", "station_name", "station_county_code", "admitted_date", "identity_established_date", "left_date", "leave_reason"],
        },
    } -%}
    {{ return(columns[source_name][entity]) }}
{%- endmacro %}

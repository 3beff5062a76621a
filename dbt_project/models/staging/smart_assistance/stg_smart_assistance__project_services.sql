-- 救助帮扶和儿童关爱项目服务: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__project_services') }}

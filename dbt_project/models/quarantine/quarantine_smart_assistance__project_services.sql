-- 救助帮扶和儿童关爱项目服务隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__project_services',
    'smart_assistance', 'project_services', 'service_id'
) }}

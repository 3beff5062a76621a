-- 养老服务组织隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__service_organizations', 'elderly_care', 'service_organizations', 'org_id') }}

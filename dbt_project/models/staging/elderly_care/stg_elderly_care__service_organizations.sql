-- 养老服务组织: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__service_organizations') }}

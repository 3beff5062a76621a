-- 床位变更隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__bed_capacity_changes', 'elderly_care', 'bed_capacity_changes', 'change_id') }}

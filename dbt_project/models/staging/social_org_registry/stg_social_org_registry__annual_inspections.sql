-- 社会组织年检: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_social_org_registry__annual_inspections') }}

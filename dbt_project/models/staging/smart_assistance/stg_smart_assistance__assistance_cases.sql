-- 救助案件: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__assistance_cases') }}

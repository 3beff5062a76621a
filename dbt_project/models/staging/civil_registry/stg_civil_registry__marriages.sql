-- 婚姻登记: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_civil_registry__marriages') }}

-- 持证残疾人: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__persons') }}

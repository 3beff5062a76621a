-- 死亡登记: death registrations that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_civil_registry__deaths') }}

-- 床位变更: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__bed_capacity_changes') }}

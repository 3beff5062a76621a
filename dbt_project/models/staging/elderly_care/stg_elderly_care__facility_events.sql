-- 社区养老设施事件: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__facility_events') }}

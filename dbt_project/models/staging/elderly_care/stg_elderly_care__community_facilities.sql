-- 社区养老设施: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__community_facilities') }}

-- 社工选拔: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_social_org_registry__social_worker_selections') }}

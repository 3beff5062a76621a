-- 老年人智能技术培训: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__smart_tech_trainings') }}

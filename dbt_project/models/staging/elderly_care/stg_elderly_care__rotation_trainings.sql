-- 养老机构人员轮训: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__rotation_trainings') }}

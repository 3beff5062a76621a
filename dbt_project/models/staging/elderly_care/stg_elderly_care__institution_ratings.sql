-- 养老机构等级评定: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__institution_ratings') }}

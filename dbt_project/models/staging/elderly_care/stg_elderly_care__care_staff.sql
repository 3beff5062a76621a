-- 养老机构负责人和护理员: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__care_staff') }}

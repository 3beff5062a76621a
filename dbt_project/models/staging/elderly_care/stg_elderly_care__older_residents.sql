-- 老年人: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__older_residents') }}

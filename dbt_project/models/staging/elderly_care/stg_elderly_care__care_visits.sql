-- 特殊困难老年人探访: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__care_visits') }}

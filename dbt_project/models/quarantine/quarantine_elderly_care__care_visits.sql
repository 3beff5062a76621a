-- 特殊困难老年人探访隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__care_visits', 'elderly_care', 'care_visits', 'visit_id') }}

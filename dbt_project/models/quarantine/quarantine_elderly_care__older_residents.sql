-- 老年人隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__older_residents', 'elderly_care', 'older_residents', 'resident_id') }}

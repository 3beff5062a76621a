-- 养老机构隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__institutions', 'elderly_care', 'institutions', 'institution_id') }}

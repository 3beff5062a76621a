-- 养老机构等级评定隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__institution_ratings', 'elderly_care', 'institution_ratings', 'rating_id') }}

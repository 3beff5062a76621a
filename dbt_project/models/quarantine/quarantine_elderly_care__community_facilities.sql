-- 社区养老设施隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__community_facilities', 'elderly_care', 'community_facilities', 'facility_id') }}

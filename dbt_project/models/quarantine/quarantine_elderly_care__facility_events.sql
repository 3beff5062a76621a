-- 社区养老设施事件隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__facility_events', 'elderly_care', 'facility_events', 'event_id') }}

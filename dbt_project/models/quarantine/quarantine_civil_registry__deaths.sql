-- 死亡登记隔离区: death registrations that broke a row-level contract, with the rule.
{{ quarantined_rows('base_civil_registry__deaths', 'civil_registry', 'deaths', 'death_record_id') }}

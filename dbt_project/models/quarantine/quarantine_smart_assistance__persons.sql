-- 持证残疾人隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__persons',
    'smart_assistance', 'persons', 'person_id'
) }}

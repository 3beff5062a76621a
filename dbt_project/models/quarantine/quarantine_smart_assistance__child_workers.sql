-- 儿童督导员和儿童主任隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__child_workers',
    'smart_assistance', 'child_workers', 'worker_id'
) }}

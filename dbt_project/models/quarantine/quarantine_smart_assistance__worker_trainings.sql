-- 儿童督导员和儿童主任培训隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__worker_trainings',
    'smart_assistance', 'worker_trainings', 'training_id'
) }}

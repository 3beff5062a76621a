-- 儿童督导员和儿童主任培训: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__worker_trainings') }}

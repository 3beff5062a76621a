-- 养老机构人员轮训隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__rotation_trainings', 'elderly_care', 'rotation_trainings', 'training_id') }}

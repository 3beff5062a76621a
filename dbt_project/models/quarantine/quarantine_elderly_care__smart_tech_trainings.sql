-- 老年人智能技术培训隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_elderly_care__smart_tech_trainings', 'elderly_care', 'smart_tech_trainings', 'attendance_id'
) }}

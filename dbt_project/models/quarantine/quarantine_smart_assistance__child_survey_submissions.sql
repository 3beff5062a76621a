-- 留守流动儿童监测摸排报送隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__child_survey_submissions',
    'smart_assistance', 'child_survey_submissions', 'submission_id'
) }}

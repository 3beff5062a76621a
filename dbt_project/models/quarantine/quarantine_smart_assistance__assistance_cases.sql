-- 救助案件隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__assistance_cases',
    'smart_assistance', 'assistance_cases', 'case_id'
) }}

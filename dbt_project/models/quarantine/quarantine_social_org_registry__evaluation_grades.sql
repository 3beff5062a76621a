-- 社会组织评估等级隔离区: rows of the full exports that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__evaluation_grades',
    'social_org_registry',
    'evaluation_grades',
    'organization_credit_code',
) }}

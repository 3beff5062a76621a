-- 社会组织年检隔离区: annual-inspection rows that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__annual_inspections',
    'social_org_registry',
    'annual_inspections',
    'organization_credit_code',
) }}

-- 社会组织名录隔离区: rows of the full exports that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__organizations',
    'social_org_registry',
    'organizations',
    'organization_credit_code',
) }}

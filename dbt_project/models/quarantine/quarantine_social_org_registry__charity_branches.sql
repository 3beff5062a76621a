-- 慈善分会隔离区: charity branches that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__charity_branches',
    'social_org_registry',
    'charity_branches',
    'charity_branch_id',
) }}

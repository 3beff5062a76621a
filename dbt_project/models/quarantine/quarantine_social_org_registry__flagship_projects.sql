-- 五美驿站精品项目隔离区: flagship projects that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__flagship_projects',
    'social_org_registry',
    'flagship_projects',
    'flagship_project_id',
) }}

-- 社工选拔隔离区: social-worker selections that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__social_worker_selections',
    'social_org_registry',
    'social_worker_selections',
    'selection_id',
) }}

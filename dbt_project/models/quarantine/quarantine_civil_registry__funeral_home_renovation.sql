-- 殡仪馆改造里程碑隔离区: renovation milestones that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_civil_registry__funeral_home_renovation',
    'civil_registry',
    'funeral_home_renovation',
    'milestone_id',
) }}

-- 骨灰安放设施项目隔离区: ashes-facility projects that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_civil_registry__ashes_facility_projects',
    'civil_registry',
    'ashes_facility_projects',
    'ashes_facility_project_id',
) }}

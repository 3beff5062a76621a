-- 婚姻登记隔离区: marriage registrations that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_civil_registry__marriages',
    'civil_registry',
    'marriages',
    'registration_id',
) }}

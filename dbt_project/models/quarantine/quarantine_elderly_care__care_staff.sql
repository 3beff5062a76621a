-- 养老机构负责人和护理员隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__care_staff', 'elderly_care', 'care_staff', 'staff_id') }}

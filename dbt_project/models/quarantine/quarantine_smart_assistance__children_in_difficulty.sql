-- 孤儿和事实无人抚养儿童隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__children_in_difficulty',
    'smart_assistance', 'children_in_difficulty', 'child_id'
) }}

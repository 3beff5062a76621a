-- 孤儿和事实无人抚养儿童: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__children_in_difficulty') }}

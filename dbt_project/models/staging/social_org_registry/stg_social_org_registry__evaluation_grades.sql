-- 社会组织评估等级: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_social_org_registry__evaluation_grades') }}

-- 邻里中心·五美驿站精品项目: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_social_org_registry__flagship_projects') }}

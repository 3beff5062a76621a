-- 公益性骨灰安放设施项目: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_civil_registry__ashes_facility_projects') }}

-- 市殡仪馆改造提升里程碑: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_civil_registry__funeral_home_renovation') }}

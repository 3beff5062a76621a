-- 救助管理站在站记录: the base rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_civil_registry__rescue_station_stays') }}

-- 救助站在站记录隔离区: rescue-station stays that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_civil_registry__rescue_station_stays',
    'civil_registry',
    'rescue_station_stays',
    'stay_id',
) }}

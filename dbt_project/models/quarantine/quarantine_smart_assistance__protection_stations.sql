-- 未成年人保护工作站隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__protection_stations',
    'smart_assistance', 'protection_stations', 'station_id'
) }}

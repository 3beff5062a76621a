-- 低收入人口监测预警隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__monitoring_alerts',
    'smart_assistance', 'monitoring_alerts', 'alert_id'
) }}

-- 低收入人口监测预警: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__monitoring_alerts') }}

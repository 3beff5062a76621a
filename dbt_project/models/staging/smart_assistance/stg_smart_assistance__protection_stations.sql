-- 未成年人保护工作站: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__protection_stations') }}

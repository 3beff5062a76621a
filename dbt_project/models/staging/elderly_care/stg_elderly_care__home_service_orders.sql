-- 居家上门服务订单: rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_elderly_care__home_service_orders') }}

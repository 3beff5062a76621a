-- 居家上门服务订单隔离区: rows that broke a row-level contract, with the rule.
{{ quarantined_rows('base_elderly_care__home_service_orders', 'elderly_care', 'home_service_orders', 'order_id') }}

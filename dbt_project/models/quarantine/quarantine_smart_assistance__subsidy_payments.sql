-- 救助补贴发放隔离区: records that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_smart_assistance__subsidy_payments',
    'smart_assistance', 'subsidy_payments', 'payment_id'
) }}

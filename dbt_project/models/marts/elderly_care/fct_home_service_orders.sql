-- 居家上门服务订单事实: one row per order that keeps the contract (twins quarantined), with the
-- resident's county and the service month.
-- Incremental by resident: a resident's orders are rebuilt when one of them has a newer version or
-- left staging (a twin of a corrected order), or the resident's record changed (arrived late, moved
-- county, quarantined). Twins are always orders of the same resident.
{{ config(
    materialized='incremental',
    unique_key='order_id',
    post_hook=["{{ delete_retracted_rows() }}"],
) }}

with

orders as (

    select
        order_id,
        resident_id,
        provider_org_id,
        service_type,
        is_government_purchased,
        is_completed,
        amount_yuan,
        service_date,
        extracted_at
    from {{ ref('stg_elderly_care__home_service_orders') }}

),

residents as (

    select
        resident_id,
        county_code,
        extracted_at
    from {{ ref('dim_older_residents') }}

),

{% if is_incremental() -%}
    {{ incremental_scope(
        'orders', 'order_id', 'resident_id',
        lookup='residents', compared=[['county_code', 'county_code']], lookup_required=true,
    ) }},
{%- endif %}

rebuilt_orders as (

    select orders.*
    from orders
    {{ in_affected_groups('orders', 'resident_id') }}

),

final as (

    select
        rebuilt_orders.order_id,
        rebuilt_orders.resident_id,
        residents.county_code,
        rebuilt_orders.provider_org_id,
        rebuilt_orders.service_type,
        rebuilt_orders.is_government_purchased,
        rebuilt_orders.is_completed,
        rebuilt_orders.amount_yuan,
        rebuilt_orders.service_date,
        {{ month_start('rebuilt_orders.service_date') }} as service_month,
        rebuilt_orders.extracted_at
    from rebuilt_orders
    inner join residents
        on rebuilt_orders.resident_id = residents.resident_id

)

select * from final
{{ retracted_rows('final', 'order_id', 'held_in_affected') }}

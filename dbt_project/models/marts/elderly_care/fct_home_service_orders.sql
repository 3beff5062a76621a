-- 居家上门服务订单事实: one row per order that keeps the contract (twins quarantined), with the
-- resident's county and the service month.
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
        service_date
    from {{ ref('stg_elderly_care__home_service_orders') }}

),

residents as (

    select
        resident_id,
        county_code
    from {{ ref('dim_older_residents') }}

),

final as (

    select
        orders.order_id,
        orders.resident_id,
        residents.county_code,
        orders.provider_org_id,
        orders.service_type,
        orders.is_government_purchased,
        orders.is_completed,
        orders.amount_yuan,
        orders.service_date,
        {{ month_start('orders.service_date') }} as service_month
    from orders
    inner join residents
        on orders.resident_id = residents.resident_id

)

select * from final

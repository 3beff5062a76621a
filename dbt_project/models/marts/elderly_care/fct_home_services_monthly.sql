-- 居家上门服务月度汇总: completed orders and distinct residents served per county, month,
-- service type and funding (for dashboards).
with

orders as (

    select
        resident_id,
        county_code,
        service_type,
        is_government_purchased,
        amount_yuan,
        service_month
    from {{ ref('fct_home_service_orders') }}
    where is_completed

),

final as (

    select
        service_month,
        county_code,
        service_type,
        is_government_purchased,
        count(*) as order_count,
        count(distinct resident_id) as resident_count,
        sum(amount_yuan) as amount_yuan
    from orders
    group by service_month, county_code, service_type, is_government_purchased

)

select * from final

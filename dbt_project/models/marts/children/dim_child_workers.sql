-- 儿童督导员和儿童主任维度: one row per appointment (a successor is a new row), no personal data.
with

workers as (

    select
        worker_id,
        worker_role,
        county_code,
        unit_code,
        appointed_date,
        left_date
    from {{ ref('stg_smart_assistance__child_workers') }}

),

final as (

    select * from workers

)

select * from final

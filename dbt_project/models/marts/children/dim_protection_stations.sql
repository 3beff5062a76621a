-- 未成年人保护工作站维度: one row per station with its level and provincial-demonstration upgrade date.
with

stations as (

    select
        station_id,
        station_name,
        county_code,
        town_code,
        station_level,
        is_provincial_demonstration,
        established_date,
        provincial_demo_date
    from {{ ref('stg_smart_assistance__protection_stations') }}

),

final as (

    select * from stations

)

select * from final

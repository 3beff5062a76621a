-- 低收入人口监测预警事实: one row per alert in its latest state, with how long handling took.
with

alerts as (

    select
        alert_id,
        county_code,
        village_code,
        alert_type,
        alert_level,
        decision,
        alert_status,
        raised_date,
        closed_date
    from {{ ref('stg_smart_assistance__monitoring_alerts') }}

),

final as (

    select
        alert_id,
        county_code,
        village_code,
        alert_type,
        alert_level,
        decision,
        alert_status,
        raised_date,
        closed_date,
        {{ dbt.datediff('raised_date', 'closed_date', 'day') }}
            as days_to_close,
        coalesce(alert_status = '已办结' and closed_date is not null, false) as is_closed,
        coalesce(
            alert_status = '已办结'
            and decision is not null
            and closed_date <= {{ dbt.dateadd('day', 30, 'raised_date') }},
            false
        ) as is_handled_within_30_days
    from alerts

)

select * from final

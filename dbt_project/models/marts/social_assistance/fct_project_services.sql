-- 救助帮扶和儿童关爱项目服务事实: one row per service (person-time) in its latest state, tagged with
-- the action line whose plan names the project (SA: 冷暖有助/兜底监护/留泰圆梦; CH: 点亮星空/点亮梦想/点亮人生/点亮心灯).
with

services as (

    select
        service_id,
        beneficiary_person_key,
        county_code,
        village_code,
        project_name,
        service_status,
        beneficiary_birth_month,
        service_date
    from {{ ref('stg_smart_assistance__project_services') }}

),

final as (

    select
        service_id,
        beneficiary_person_key,
        county_code,
        village_code,
        project_name,
        case
            when project_name in ('冷暖有助', '兜底监护', '留泰圆梦') then 'SA'
            when project_name in ('点亮星空', '点亮梦想', '点亮人生', '点亮心灯') then 'CH'
        end as action_line,
        service_status,
        coalesce(service_status = '已完成', false) as is_completed,
        beneficiary_birth_month,
        {{ age_at('beneficiary_birth_month', 'service_date') }} as beneficiary_age_at_service,
        service_date
    from services

)

select * from final

-- 救助帮扶和儿童关爱项目服务事实: one row per service (person-time) in its latest state, tagged with
-- the action line whose plan names the project (ref_assistance_projects, from the city profile;
-- null for a project the plan does not name).
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

assistance_projects as (

    select
        project_name,
        action_line
    from {{ ref('ref_assistance_projects') }}

),

final as (

    select
        services.service_id,
        services.beneficiary_person_key,
        services.county_code,
        services.village_code,
        services.project_name,
        assistance_projects.action_line,
        services.service_status,
        coalesce(services.service_status = '已完成', false) as is_completed,
        services.beneficiary_birth_month,
        {{ age_at('services.beneficiary_birth_month', 'services.service_date') }}
            as beneficiary_age_at_service,
        services.service_date
    from services
    left join assistance_projects
        on services.project_name = assistance_projects.project_name

)

select * from final

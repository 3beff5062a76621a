-- SA06 救助帮扶项目受益人次: completed services of the projects the plan names for SA (ref_assistance_projects)
-- with service_date in the year to date, by county (a count of person-times; denominator null).
with

services as (

    select
        county_code,
        service_date
    from {{ ref('fct_project_services') }}
    where action_line = 'SA' and is_completed

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SA06', 'services', 'service_date', 'county_code',
) }}

select * from final

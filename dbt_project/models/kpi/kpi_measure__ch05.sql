-- CH05 困境儿童关爱项目服务人次: completed services of 点亮星空, 点亮梦想, 点亮人生, 点亮心灯
-- with service_date in the year to date, by county (a count of person-times; denominator null).
with

services as (

    select
        county_code,
        service_date
    from {{ ref('fct_project_services') }}
    where action_line = 'CH' and is_completed

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'CH05', 'services', 'service_date', 'county_code',
) }}

select * from final

-- SA06 救助帮扶项目受益人次: completed services of 冷暖有助, 兜底监护, 留泰圆梦
-- with service_date in the year to date, by county (a count of person-times; denominator null).
with

services as (

    select
        county_code,
        service_date
    from {{ ref('fct_project_services') }}
    where action_line = 'SA' and is_completed

),

calendar as (

    select
        period_month,
        period_end,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SA06' as kpi_code,
        calendar.period_month,
        services.county_code as region_code,
        cast(count(*) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    inner join services
        on services.service_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, services.county_code

)

select * from final

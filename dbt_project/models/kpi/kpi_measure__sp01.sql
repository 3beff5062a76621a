-- SP01 邻里中心·五美驿站精品项目数: flagship projects implemented YTD, by county (a city-scope
-- YTD count; denominator null).
with

projects as (

    select
        flagship_project_id,
        county_code,
        implemented_date
    from {{ ref('fct_flagship_projects') }}
    where implemented_date is not null

),

calendar as (

    select
        period_month,
        period_end,
        plan_year,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SP01' as kpi_code,
        calendar.period_month,
        projects.county_code as region_code,
        cast(count(*) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    inner join projects
        on projects.implemented_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, projects.county_code

)

select * from final

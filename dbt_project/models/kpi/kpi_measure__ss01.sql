-- SS01 新建扩建公益性骨灰安放设施数: new or expanded public-welfare ashes facilities (新建 / 扩建; a
-- repair never counts) completed YTD, by county (a city-scope YTD count; denominator null).
with

projects as (

    select
        ashes_facility_project_id,
        county_code,
        completed_date
    from {{ ref('fct_ashes_facility_projects') }}
    where is_new_or_expansion and completed_date is not null

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
        'SS01' as kpi_code,
        calendar.period_month,
        projects.county_code as region_code,
        cast(count(*) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    inner join projects
        on projects.completed_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, projects.county_code

)

select * from final

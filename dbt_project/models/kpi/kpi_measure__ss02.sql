-- SS02 市殡仪馆改造提升完成: 1 per renovation project whose final milestone is completed by period
-- end, else 0, at the project's county (a point-in-time milestone; denominator null).
with

final_milestones as (

    select
        renovation_project_id,
        county_code,
        completed_date
    from {{ ref('fct_funeral_home_renovation_milestones') }}
    where is_final_milestone

),

{{ kpi_calendar() }},

final as (

    select
        'SS02' as kpi_code,
        calendar.period_month,
        final_milestones.county_code as region_code,
        cast(sum(
            case when final_milestones.completed_date <= calendar.period_end then 1 else 0 end
        ) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    cross join final_milestones
    group by calendar.period_month, final_milestones.county_code

)

select * from final

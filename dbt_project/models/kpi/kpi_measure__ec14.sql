-- EC14 老年人智能技术培训人次: attendances (person-times) at smart-technology courses with
-- training_date in the plan year to the period end, by the resident's county.
with

attendance as (

    select
        county_code,
        training_date
    from {{ ref('fct_smart_tech_trainings') }}

),

{{ ec_county_month_grid() }},

final as (

    select
        'EC14' as kpi_code,
        grid.period_month,
        grid.county_code as region_code,
        cast(count(attendance.county_code) as bigint) as numerator,
        cast(null as bigint) as denominator
    from grid
    left join attendance
        on
            grid.county_code = attendance.county_code
            and attendance.training_date between grid.year_start and grid.period_end
    group by grid.period_month, grid.county_code

)

select * from final

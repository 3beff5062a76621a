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

{{ kpi_year_to_date_on_grid('EC14', 'attendance', 'training_date') }}

select * from final

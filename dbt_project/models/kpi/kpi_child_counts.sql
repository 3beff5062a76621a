-- 儿童人数: the distinct children behind each figure about children, year to date by county, for
-- the small-cell rule of kpi_progress. CH03 rests on the eligible children of the allowance, CH05
-- on the children its care projects served; CH01, CH02 and CH04 count stations, workers and
-- villages, not children.
with

child_months as (

    select
        county_code,
        period_month,
        child_id
    from {{ ref('fct_child_allowance_monthly') }}

),

services as (

    select
        county_code,
        service_date,
        beneficiary_person_key
    from {{ ref('fct_project_services') }}
    where action_line = 'CH' and is_completed

),

{{ kpi_calendar() }},

allowance_children as (

    select
        'CH03' as kpi_code,
        calendar.period_month,
        child_months.county_code as region_code,
        count(distinct child_months.child_id) as child_count
    from calendar
    inner join child_months
        on child_months.period_month between calendar.year_start and calendar.period_month
    group by calendar.period_month, child_months.county_code

),

served_children as (

    select
        'CH05' as kpi_code,
        calendar.period_month,
        services.county_code as region_code,
        count(distinct services.beneficiary_person_key) as child_count
    from calendar
    inner join services
        on services.service_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, services.county_code

),

final as (

    select
        kpi_code,
        period_month,
        region_code,
        cast(child_count as bigint) as child_count
    from allowance_children
    union all
    select
        kpi_code,
        period_month,
        region_code,
        cast(child_count as bigint) as child_count
    from served_children

)

select * from final

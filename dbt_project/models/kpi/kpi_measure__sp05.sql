-- SP05 社会组织参检率: organizations required to take the annual inspection for the year before the
-- plan year that submitted it by period end, over all required, by registering authority
-- (the city's code = city-registered).
with

inspections as (

    select
        organization_credit_code,
        region_code,
        inspection_year,
        is_required,
        is_submitted,
        submitted_date
    from {{ ref('fct_annual_inspections') }}
    where is_required

),

{{ kpi_calendar() }},

final as (

    select
        'SP05' as kpi_code,
        calendar.period_month,
        inspections.region_code,
        cast(sum(
            case
                when inspections.is_submitted and inspections.submitted_date <= calendar.period_end then 1
                else 0
            end
        ) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join inspections
        on inspections.inspection_year = calendar.plan_year - 1
    group by calendar.period_month, inspections.region_code

)

select * from final

-- EC09 农村敬老院二级以上评定通过率: operating 农村敬老院 whose latest valid grade at the period end is
-- 二级 or above, over all operating 农村敬老院.
with

facts as (

    select
        period_month,
        county_code,
        coalesce(grade_level >= 2, false) as is_counted
    from {{ ref('fct_institution_status_monthly') }}
    where is_operating and institution_type = '农村敬老院'

),

{{ kpi_from_monthly_facts('EC09', with_denominator=true) }}

select * from final

-- EC16 养老机构负责人和护理员轮训率: heads and caregivers in post at the period end who attended
-- rotation training in the plan year to date, over all of them.
with

facts as (

    select
        period_month,
        county_code,
        is_trained_ytd as is_counted
    from {{ ref('fct_care_staff_monthly') }}
    where is_in_post

),

final as (

    select
        'EC16' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from facts
    group by period_month, county_code

)

select * from final

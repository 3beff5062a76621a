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

{{ kpi_from_monthly_facts('EC16', with_denominator=true) }}

select * from final

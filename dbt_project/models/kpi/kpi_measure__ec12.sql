-- EC12 养老护理员技能认定通过率: caregivers in post at the period end holding a valid skill
-- certificate then, over caregivers in post (by the institution's county).
with

facts as (

    select
        period_month,
        county_code,
        has_valid_certificate as is_counted
    from {{ ref('fct_care_staff_monthly') }}
    where is_in_post and role = '养老护理员'

),

{{ kpi_from_monthly_facts('EC12', with_denominator=true) }}

select * from final

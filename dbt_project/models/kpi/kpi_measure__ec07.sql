-- EC07 标准化社区助餐点改造提升数: 社区助餐点 upgraded to 标准化 in the plan year to the period end,
-- each point once.
with

facts as (

    select
        period_month,
        county_code,
        facility_type = '社区助餐点' and is_upgraded_standard_ytd as is_counted
    from {{ ref('fct_community_facility_monthly') }}

),

{{ kpi_from_monthly_facts('EC07') }}

select * from final

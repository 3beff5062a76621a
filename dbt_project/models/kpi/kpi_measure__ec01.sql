-- EC01 新建街道综合养老服务中心: street centres whose opened_date falls in the plan year to the
-- period end (a YTD count; a closure or reopening does not make a facility new again).
with

facts as (

    select
        period_month,
        county_code,
        facility_type = '街道综合养老服务中心' and is_opened_ytd as is_counted
    from {{ ref('fct_community_facility_monthly') }}

),

{{ kpi_from_monthly_facts('EC01') }}

select * from final

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

final as (

    select
        'EC01' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast(null as bigint) as denominator
    from facts
    group by period_month, county_code

)

select * from final

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

final as (

    select
        'EC07' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast(null as bigint) as denominator
    from facts
    group by period_month, county_code

)

select * from final

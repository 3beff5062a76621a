-- EC04 标准化区域性养老服务中心数: operating 区域性养老服务中心 standardized by the period end.
with

facts as (

    select
        period_month,
        county_code,
        institution_type = '区域性养老服务中心' and is_operating and is_standardized as is_counted
    from {{ ref('fct_institution_status_monthly') }}

),

final as (

    select
        'EC04' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast(null as bigint) as denominator
    from facts
    group by period_month, county_code

)

select * from final

-- SP04 社会组织等级评估率: active organizations in the month-end export holding a valid grade over
-- all active organizations, by registering authority (the city's code for city-registered organizations).
with

organizations as (

    select
        period_month,
        region_code,
        has_valid_grade
    from {{ ref('fct_organization_monthly') }}
    where is_active

),

final as (

    select
        'SP04' as kpi_code,
        period_month,
        region_code,
        cast(sum(case when has_valid_grade then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from organizations
    group by period_month, region_code

)

select * from final

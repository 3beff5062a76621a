-- EC08 养老机构等级评定通过率: operating institutions holding a valid grade at the period end
-- (rated_date <= period end <= valid_until) over all operating institutions.
with

facts as (

    select
        period_month,
        county_code,
        has_valid_grade as is_counted
    from {{ ref('fct_institution_status_monthly') }}
    where is_operating

),

final as (

    select
        'EC08' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from facts
    group by period_month, county_code

)

select * from final

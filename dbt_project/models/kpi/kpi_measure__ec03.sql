-- EC03 失能特困人员专业化供养机构数: operating 失能特困供养机构 at the period end, per district.
with

facts as (

    select
        period_month,
        county_code,
        institution_type = '失能特困供养机构' and is_operating as is_counted
    from {{ ref('fct_institution_status_monthly') }}

),

final as (

    select
        'EC03' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast(null as bigint) as denominator
    from facts
    group by period_month, county_code

)

select * from final

-- EC10 新增护理型养老床位: nursing beds of operating institutions at period end minus those at
-- 31 December of the previous year, by institution county (a YTD count; denominator null).
with

capacity as (

    select
        period_month,
        county_code,
        is_operating,
        nursing_beds,
        is_operating_at_previous_year_end,
        previous_year_end_nursing_beds
    from {{ ref('fct_institution_capacity_monthly') }}

),

final as (

    select
        'EC10' as kpi_code,
        period_month,
        county_code as region_code,
        cast(
            sum(case when is_operating then nursing_beds else 0 end)
            - sum(case when is_operating_at_previous_year_end then previous_year_end_nursing_beds else 0 end)
            as bigint
        ) as numerator,
        cast(null as bigint) as denominator
    from capacity
    group by period_month, county_code

)

select * from final

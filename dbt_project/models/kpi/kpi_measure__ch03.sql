-- CH03 孤儿和事实无人抚养儿童基本生活费足额发放率: eligible child-months of the year to date, by the child's
-- county: numerator those paid at least the month's standard, denominator all eligible child-months.
with

child_months as (

    select
        county_code,
        period_month,
        is_paid_in_full
    from {{ ref('fct_child_allowance_monthly') }}

),

calendar as (

    select
        period_month,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'CH03' as kpi_code,
        calendar.period_month,
        child_months.county_code as region_code,
        cast(sum(case when child_months.is_paid_in_full then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join child_months
        on child_months.period_month between calendar.year_start and calendar.period_month
    group by calendar.period_month, child_months.county_code

)

select * from final

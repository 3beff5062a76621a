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

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'CH03', 'child_months', 'period_month', 'county_code',
    counted_when='child_months.is_paid_in_full', through='period_month',
) }}

select * from final

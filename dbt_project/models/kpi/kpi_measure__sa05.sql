-- SA05 支出型困难临时救助人次: 临时救助金 payments of kind 支出型 for a month of the year to date, by paying
-- county (a count: numerator is the value, denominator null).
with

payments as (

    select
        paying_county_code,
        payment_month
    from {{ ref('fct_subsidy_payments') }}
    where subsidy_type = '临时救助金' and temp_assistance_kind = '支出型'

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
        'SA05' as kpi_code,
        calendar.period_month,
        payments.paying_county_code as region_code,
        cast(count(*) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    inner join payments
        on payments.payment_month between calendar.year_start and calendar.period_month
    group by calendar.period_month, payments.paying_county_code

)

select * from final

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

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SA05', 'payments', 'payment_month', 'paying_county_code', through='period_month',
) }}

select * from final

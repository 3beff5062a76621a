-- SA02 残疾人两项补贴精准发放率: two-subsidy payments for a month of the year to date, by paying county:
-- numerator precise payments (not after death, eligible grade/household, not a second payment),
-- denominator all such payments.
with

payments as (

    select
        paying_county_code,
        payment_month,
        is_precise
    from {{ ref('fct_subsidy_payments') }}
    where is_two_subsidy

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SA02', 'payments', 'payment_month', 'paying_county_code',
    counted_when='payments.is_precise', through='period_month',
) }}

select * from final

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

calendar as (

    select
        period_month,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SA02' as kpi_code,
        calendar.period_month,
        payments.paying_county_code as region_code,
        cast(sum(case when payments.is_precise then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join payments
        on payments.payment_month between calendar.year_start and calendar.period_month
    group by calendar.period_month, payments.paying_county_code

)

select * from final

-- 救助资金月度发放汇总: recipients, payments and amount per paying county, subsidy type and month.
with

payments as (

    select
        paying_county_code,
        subsidy_type,
        payment_month,
        recipient_person_key,
        amount,
        is_two_subsidy,
        is_precise
    from {{ ref('fct_subsidy_payments') }}

),

final as (

    select
        payment_month,
        paying_county_code,
        subsidy_type,
        cast(count(distinct recipient_person_key) as bigint) as recipient_count,
        cast(count(*) as bigint) as payment_count,
        sum(amount) as amount_paid,
        cast(sum(case when is_two_subsidy and not is_precise then 1 else 0 end) as bigint)
            as imprecise_payment_count
    from payments
    group by payment_month, paying_county_code, subsidy_type

)

select * from final

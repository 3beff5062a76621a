-- 孤儿和事实无人抚养儿童基本生活费月度发放: one row per eligible child and plan-year month, with what was
-- paid for that month against the standard (CH03). Eligible in a month: eligibility overlaps it.
with

children as (

    select
        child_id,
        child_person_key,
        county_code,
        child_category,
        care_mode,
        monthly_standard,
        eligible_from,
        eligible_to
    from {{ ref('dim_children_in_difficulty') }}

),

calendar as (

    select
        period_month,
        period_end
    from {{ ref('dim_calendar') }}

),

payments as (

    select
        recipient_person_key,
        payment_month,
        cast(count(*) as bigint) as payment_count,
        sum(amount) as paid_amount
    from {{ ref('fct_subsidy_payments') }}
    where subsidy_type = '孤儿/事实无人抚养儿童基本生活费'
    group by recipient_person_key, payment_month

),

child_months as (

    select
        children.child_id,
        children.county_code,
        children.child_category,
        children.care_mode,
        children.monthly_standard,
        children.child_person_key,
        calendar.period_month
    from children
    inner join calendar
        on
            children.eligible_from <= calendar.period_end
            and (children.eligible_to is null or children.eligible_to >= calendar.period_month)

),

final as (

    select
        child_months.child_id,
        child_months.period_month,
        child_months.county_code,
        child_months.child_category,
        child_months.care_mode,
        child_months.monthly_standard,
        coalesce(payments.paid_amount, 0) as paid_amount,
        coalesce(payments.payment_count, 0) as payment_count,
        coalesce(payments.paid_amount, 0) >= child_months.monthly_standard as is_paid_in_full
    from child_months
    left join payments
        on
            child_months.child_person_key = payments.recipient_person_key
            and child_months.period_month = payments.payment_month

)

select * from final

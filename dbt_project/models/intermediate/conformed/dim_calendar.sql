-- 月份维度: every month of every plan year in kpi_targets, and of the year before each plan year
-- that has no plan of its own (the baseline its figures are compared with, 同比).
with

plans as (

    select distinct plan_year
    from {{ ref('kpi_targets') }}

),

plan_years as (

    select
        plan_year,
        true as has_plan
    from plans
    union all
    select
        plans.plan_year - 1 as plan_year,
        false as has_plan
    from plans
    left join plans as previous
        on plans.plan_year - 1 = previous.plan_year
    where previous.plan_year is null

),

month_numbers as (

    {% for month_number in range(1, 13) %}
        select {{ month_number }} as month_of_year
        {% if not loop.last %}
            union all
        {% endif %}
    {% endfor %}

),

months as (

    select
        plan_years.plan_year,
        plan_years.has_plan,
        month_numbers.month_of_year,
        cast(
            cast(plan_years.plan_year as {{ dbt.type_string() }})
            || '-' || case when month_numbers.month_of_year < 10 then '0' else '' end
            || cast(month_numbers.month_of_year as {{ dbt.type_string() }})
            || '-01'
            as date
        ) as period_month
    from plan_years
    cross join month_numbers

),

reported as (

    select
        *,
        coalesce(period_month <= {{ data_as_of() }}, false) as is_reported
    from months

),

-- The plan the dashboards follow: the latest plan year whose months have begun.
current_plan as (

    select max(plan_year) as plan_year
    from reported
    where has_plan and is_reported

),

final as (

    select
        reported.period_month,
        {{ month_end('reported.period_month') }} as period_end,
        {{ previous_year_end('reported.period_month') }} as previous_year_end,
        cast(reported.plan_year as integer) as plan_year,
        reported.has_plan,
        coalesce(reported.plan_year = current_plan.plan_year, false) as is_current_plan_year,
        cast(reported.month_of_year as integer) as month_of_year,
        cast(floor((reported.month_of_year - 1) / 3) + 1 as integer) as quarter_of_year,
        reported.is_reported
    from reported
    cross join current_plan

)

select * from final

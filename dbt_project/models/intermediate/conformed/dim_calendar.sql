-- 月份维度: every month of every plan year in kpi_targets.
with

plan_years as (

    select distinct plan_year
    from {{ ref('kpi_targets') }}

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

final as (

    select
        period_month,
        {{ month_end('period_month') }} as period_end,
        {{ previous_year_end('period_month') }} as previous_year_end,
        cast(plan_year as integer) as plan_year,
        cast(month_of_year as integer) as month_of_year,
        cast(floor((month_of_year - 1) / 3) + 1 as integer) as quarter_of_year,
        coalesce(period_month <= {{ data_as_of() }}, false) as is_reported
    from months

)

select * from final

-- SP03 金牌社工培养选拔人数: distinct people selected as 金牌社工 YTD (a person listed twice counts once), by
-- county (a city-scope YTD count; denominator null).
with

selections as (

    select
        social_worker_person_key,
        county_code,
        selected_date
    from {{ ref('fct_social_worker_selections') }}
    where selection_category = '金牌社工'

),

calendar as (

    select
        period_month,
        period_end,
        plan_year,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SP03' as kpi_code,
        calendar.period_month,
        selections.county_code as region_code,
        cast(count(distinct selections.social_worker_person_key) as bigint) as numerator,
        cast(null as bigint) as denominator
    from calendar
    inner join selections
        on selections.selected_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, selections.county_code

)

select * from final

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

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SP03', 'selections', 'selected_date', 'county_code',
    distinct='selections.social_worker_person_key',
) }}

select * from final

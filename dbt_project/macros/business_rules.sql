{#- Business rules written once. -#}

{#- A span is in effect on a date when it started on or before it and has not ended by it (the end
    date is the first day out; null for an open span): a post held, a branch or brand registered. -#}
{% macro is_in_effect_on(start_date, end_date, on_date) -%}
    ({{ start_date }} <= {{ on_date }} and ({{ end_date }} is null or {{ end_date }} > {{ on_date }}))
{%- endmacro %}

{#- An institution operates on a date when opened on or before it and not closed on it. -#}
{% macro is_operating_on(opened_date, closed_date, on_date) -%}
    {{ is_in_effect_on(opened_date, closed_date, on_date) }}
{%- endmacro %}

{#- Real villages and communities: 居委会 (001-199) and 村委会 (200-399) by the last three digits of the
    12-digit code; virtual ones (4xx, 5xx) never count. -#}
{% macro is_real_village_code(village_code) -%}
    (substr({{ village_code }}, 10, 3) between '001' and '399')
{%- endmacro %}

{% macro is_urban_community_code(village_code) -%}
    (substr({{ village_code }}, 10, 3) between '001' and '199')
{%- endmacro %}

{#- Aged at least `years` on on_date (whole years, from the birth month; see age_at). -#}
{% macro is_aged_at_least(years, birth_month, on_date) -%}
    ({{ age_at(birth_month, on_date) }} >= {{ years }})
{%- endmacro %}

{#- 特殊困难老年人 in a month (given 60+ then): living alone, left behind, disabled, or very old (80+
    at the month end) with low income. Flags are booleans; birth_month and month_end are dates. -#}
{% macro is_special_difficulty_elder(living_alone, left_behind, disabled, low_income, birth_month, month_end) -%}
    ({{ living_alone }} or {{ left_behind }} or {{ disabled }}
        or ({{ low_income }} and {{ is_aged_at_least(80, birth_month, month_end) }}))
{%- endmacro %}

{#- An older resident counts as 60+ at a month end when they turn 60 in that month or earlier: the
    same rule as is_aged_at_least(60, birth_month, month_end), on dim_older_residents.month_turning_60
    so that EC06 can count residents by the month they turn 60. -#}
{% macro is_aged_60_by(month_turning_60, period_month) -%}
    ({{ month_turning_60 }} <= {{ period_month }})
{%- endmacro %}

{#- A CTE named grid: every county-level district and reported month, with the plan-year start and
    the period end, so a YTD count has a row (0) where nothing happened. -#}
{% macro ec_county_month_grid() -%}
grid as (

    select
        counties.region_code as county_code,
        calendar.period_month,
        calendar.period_end,
        {{ year_start('calendar.period_month') }} as year_start
    from {{ ref('ref_counties') }} as counties
    cross join {{ ref('dim_calendar') }} as calendar
    where counties.region_level = 'county' and calendar.is_reported

)
{%- endmacro %}

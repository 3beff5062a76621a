{#- Business rules written once. -#}

{#- An institution operates on a date when opened on or before it and not closed on it. -#}
{% macro is_operating_on(opened_date, closed_date, on_date) -%}
    ({{ opened_date }} <= {{ on_date }} and ({{ closed_date }} is null or {{ closed_date }} > {{ on_date }}))
{%- endmacro %}

{#- Real villages and communities: 居委会 (001-199) and 村委会 (200-399) by the last three digits of the
    12-digit code; virtual ones (4xx, 5xx) never count. -#}
{% macro is_real_village_code(village_code) -%}
    (substr({{ village_code }}, 10, 3) between '001' and '399')
{%- endmacro %}

{% macro is_urban_community_code(village_code) -%}
    (substr({{ village_code }}, 10, 3) between '001' and '199')
{%- endmacro %}

{#- 特殊困难老年人 in a month (given 60+ then): living alone, left behind, disabled, or very old (80+
    by the month end) with low income. Flags are booleans; months are first-of-month dates. -#}
{% macro is_special_difficulty_elder(living_alone, left_behind, disabled, low_income, month_turning_80, period_month) -%}
    ({{ living_alone }} or {{ left_behind }} or {{ disabled }}
        or ({{ low_income }} and {{ month_turning_80 }} <= {{ period_month }}))
{%- endmacro %}

{#- An older resident counts as 60+ at a month end when they turn 60 in that month or earlier. -#}
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

{#- Date helpers built on dbt's cross-database macros. -#}

{% macro month_start(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}

{% macro month_end(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}

{% macro year_start(date_expr) -%}
    cast({{ dbt.date_trunc('year', date_expr) }} as date)
{%- endmacro %}

{#- 31 December of the year before date_expr. -#}
{% macro previous_year_end(date_expr) -%}
    cast({{ dbt.dateadd('day', -1, year_start(date_expr)) }} as date)
{%- endmacro %}

{#- The build's as-of date as a SQL date literal: var data_as_of, else the run date. -#}
{% macro data_as_of() -%}
    {%- set value = var('data_as_of', '') -%}
    {%- if not value -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}

{#- Age in whole years on at_date of someone born in birth_month (the first of the month): the
    birthday is taken as the first of the birth month, so the new year of age begins on that day.
    Only the months of both dates count, so a day-precise birth date gives the same answer. -#}
{% macro age_at(birth_month, at_date) -%}
    {{ return(adapter.dispatch('age_at', 'minzheng')(birth_month, at_date)) }}
{%- endmacro %}

{% macro default__age_at(birth_month, at_date) -%}
    cast(
        extract(year from {{ at_date }}) - extract(year from {{ birth_month }})
        - case when extract(month from {{ at_date }}) < extract(month from {{ birth_month }}) then 1 else 0 end
        as integer
    )
{%- endmacro %}

{% macro duckdb__age_at(birth_month, at_date) -%}
    cast(floor(date_diff('month', {{ birth_month }}, {{ at_date }}) / 12) as integer)
{%- endmacro %}

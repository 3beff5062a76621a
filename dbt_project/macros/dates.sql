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

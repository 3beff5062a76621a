{#- Engine-specific functions live only here, dispatched per adapter. -#}

{#- Whole-string regular-expression match. -#}
{% macro matches_regex(column, pattern) -%}
    {{ return(adapter.dispatch('matches_regex', 'minzheng')(column, pattern)) }}
{%- endmacro %}

{% macro duckdb__matches_regex(column, pattern) -%}
    regexp_full_match({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro default__matches_regex(column, pattern) -%}
    ({{ column }} rlike '{{ pattern }}')
{%- endmacro %}

{#- First capture group of a regular expression (same spelling on DuckDB and Spark). -#}
{% macro regex_extract(column, pattern) -%}
    {{ return(adapter.dispatch('regex_extract', 'minzheng')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract(column, pattern) -%}
    nullif(regexp_extract({{ column }}, '{{ pattern }}', 1), '')
{%- endmacro %}

{#- Parse a YYYYMMDD string to a date. -#}
{% macro yyyymmdd_to_date(column) -%}
    cast(substr({{ column }}, 1, 4) || '-' || substr({{ column }}, 5, 2) || '-' || substr({{ column }}, 7, 2) as date)
{%- endmacro %}

{#- Text to boolean for the sources' 是/否 flags. -#}
{% macro yes_no_to_boolean(column) -%}
    case trim({{ column }}) when '是' then true when '否' then false end
{%- endmacro %}

{#- dbt.safe_cast is a plain cast on DuckDB (dbt-duckdb has no override), so a raw value that does
    not cast would fail the build instead of being quarantined (fails_cast). The project's dispatch
    config (dbt_project.yml) puts this override first: null for a value that does not cast. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

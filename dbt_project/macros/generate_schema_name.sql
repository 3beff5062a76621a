{#- Relations land in schemas named exactly staging, conformed, marts, kpi and seeds
    (no target-schema prefix), so the serving copy and Superset see stable names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

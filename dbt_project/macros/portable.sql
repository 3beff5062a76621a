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

{#- Spark's cast aborts (ANSI) or nulls by setting; try_cast is null for a value that does not cast,
    as on DuckDB, so a bad raw value reaches quarantine either way. -#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- dbt-spark's listagg ignores the order (a warning, and a nondeterministic result). The project
    only orders a list by its own values, which Spark does with array_sort. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause and order_by_clause | replace('order by', '') | trim != measure | trim -%}
        {{ exceptions.raise_compiler_error(
            "listagg on Spark orders only by the listed value, not: " ~ order_by_clause
        ) }}
    {%- endif -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg on Spark: limit_num is not supported") }}
    {%- endif -%}
    array_join(array_sort(collect_list({{ measure }})), {{ delimiter_text }})
{%- endmacro %}

{#- dbt-spark's session seed loader formats values into the SQL unescaped (a quote in a cell
    breaks the insert) and loads an empty cell as the text 'None'. This one writes each cell as
    an escaped literal and an empty cell as null. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- set column_type = column_override.get(
                        agate_table.column_names[loop.index0],
                        adapter.convert_type(agate_table, loop.index0)
                    ) -%}
                    {%- if value is none -%}
                        cast(null as {{ column_type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ column_type }})
                    {%- endif -%}
                    {{ ", " if not loop.last }}
                {%- endfor -%}
                ){{ "," if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}

{#- dbt-spark's dateadd, datediff and last_day go through unix timestamps, which turn a date into
    the session zone's midnight and come back a day off or null with zone-less timestamps. Spark's
    own date functions, with DuckDB's meaning: datediff counts the boundaries crossed. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set part = datepart | lower | replace("'", "") -%}
    {%- if part == 'day' -%}
        date_add({{ from_date_or_timestamp }}, cast({{ interval }} as int))
    {%- elif part == 'month' -%}
        add_months({{ from_date_or_timestamp }}, cast({{ interval }} as int))
    {%- elif part == 'year' -%}
        add_months({{ from_date_or_timestamp }}, cast({{ interval }} as int) * 12)
    {%- else -%}
        {{ exceptions.raise_compiler_error("dateadd on Spark: unsupported datepart " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower | replace("'", "") -%}
    {%- if part == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- elif part == 'month' -%}
        ((year({{ second_date }}) - year({{ first_date }})) * 12 + month({{ second_date }}) - month({{ first_date }}))
    {%- elif part == 'year' -%}
        (year({{ second_date }}) - year({{ first_date }}))
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff on Spark: unsupported datepart " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__last_day(date, datepart) -%}
    {%- set part = datepart | lower | replace("'", "") -%}
    {%- if part == 'month' -%}
        last_day({{ date }})
    {%- elif part == 'year' -%}
        date_add(add_months(cast(date_trunc('year', {{ date }}) as date), 12), -1)
    {%- else -%}
        {{ exceptions.raise_compiler_error("last_day on Spark: unsupported datepart " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}

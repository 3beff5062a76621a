{#- The shapes KPI measure models share. Each renders one or more named CTEs; a measure model keeps
    its own import CTE (which facts, which filter) and names the shape it counts them with. Every
    measure yields kpi_code, period_month, region_code, numerator, denominator (null for counts).

    Numerators:
      counted_when=<condition>  a ratio: numerator = rows meeting it, denominator = all rows;
      distinct=<column>         a count of distinct values (people listed twice count once);
      neither                   a count of rows (person-times, projects). -#}

{#- CTE calendar: the reported months, with period end and the plan-year start. -#}
{% macro kpi_calendar() -%}
calendar as (

    select
        period_month,
        period_end,
        plan_year,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

)
{%- endmacro %}

{#- numerator and denominator expressions for the three kinds above. -#}
{% macro kpi_numerator_and_denominator(counted_when=none, distinct=none) -%}
    {%- if counted_when -%}
        cast(sum(case when {{ counted_when }} then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    {%- elif distinct -%}
        cast(count(distinct {{ distinct }}) as bigint) as numerator,
        cast(null as bigint) as denominator
    {%- else -%}
        cast(count(*) as bigint) as numerator,
        cast(null as bigint) as denominator
    {%- endif -%}
{%- endmacro %}

{#- CTE final, year to date: facts whose date_column falls between 1 January of the plan year and
    the period end (through='period_month' for month-valued dates such as payment_month), by the
    facts' region_column. Months or regions without facts have no row. Needs kpi_calendar(). -#}
{% macro kpi_year_to_date(kpi_code, facts, date_column, region_column, counted_when=none, distinct=none, through='period_end') -%}
final as (

    select
        '{{ kpi_code }}' as kpi_code,
        calendar.period_month,
        {{ facts }}.{{ region_column }} as region_code,
        {{ kpi_numerator_and_denominator(counted_when, distinct) }}
    from calendar
    inner join {{ facts }}
        on {{ facts }}.{{ date_column }} between calendar.year_start and calendar.{{ through }}
    group by calendar.period_month, {{ facts }}.{{ region_column }}

)
{%- endmacro %}

{#- CTE final, year to date on a grid: as kpi_year_to_date, but every county and reported month
    of grid (county_code, period_month, period_end, year_start) has a row, zero when nothing happened. -#}
{% macro kpi_year_to_date_on_grid(kpi_code, facts, date_column, grid='grid') -%}
final as (

    select
        '{{ kpi_code }}' as kpi_code,
        {{ grid }}.period_month,
        {{ grid }}.county_code as region_code,
        cast(count({{ facts }}.county_code) as bigint) as numerator,
        cast(null as bigint) as denominator
    from {{ grid }}
    left join {{ facts }}
        on
            {{ grid }}.county_code = {{ facts }}.county_code
            and {{ facts }}.{{ date_column }} between {{ grid }}.year_start and {{ grid }}.period_end
    group by {{ grid }}.period_month, {{ grid }}.county_code

)
{%- endmacro %}

{#- CTE final from a monthly fact already at (period_month, county_code) grain whose facts CTE
    carries is_counted: a point-in-time or YTD count, or (with_denominator) the share counted. -#}
{% macro kpi_from_monthly_facts(kpi_code, facts='facts', with_denominator=false) -%}
final as (

    select
        '{{ kpi_code }}' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when is_counted then 1 else 0 end) as bigint) as numerator,
        cast({{ 'count(*)' if with_denominator else 'null' }} as bigint) as denominator
    from {{ facts }}
    group by period_month, county_code

)
{%- endmacro %}

{#- CTEs covered and final, coverage at the period end: units (unit_key, county_code), each counted
    when one of its spans (unit_key, start_column, end_column) is in effect at the period end
    (started on or before it, not ended by it); every unit is in the denominator. Needs
    kpi_calendar(). -#}
{% macro kpi_coverage_at_period_end(kpi_code, units, unit_key, spans, start_column, end_column) -%}
covered as (

    select distinct
        calendar.period_month,
        {{ spans }}.{{ unit_key }}
    from calendar
    inner join {{ spans }}
        on {{ is_in_effect_on(spans ~ '.' ~ start_column, spans ~ '.' ~ end_column, 'calendar.period_end') }}

),

final as (

    select
        '{{ kpi_code }}' as kpi_code,
        calendar.period_month,
        {{ units }}.county_code as region_code,
        {{ kpi_numerator_and_denominator(counted_when='covered.' ~ unit_key ~ ' is not null') }}
    from calendar
    cross join {{ units }}
    left join covered
        on
            calendar.period_month = covered.period_month
            and {{ units }}.{{ unit_key }} = covered.{{ unit_key }}
    group by calendar.period_month, {{ units }}.county_code

)
{%- endmacro %}

{#- The KPIs the warehouse measures: the code of every kpi_measure__<code> model in the dbt graph
    (upper case, sorted). Empty while parsing: the graph is complete only at execution. -#}
{% macro measured_kpi_codes() -%}
    {%- set codes = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.name.startswith('kpi_measure__') -%}
                {%- do codes.append(node.name.split('__')[1] | upper) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(codes | sort) }}
{%- endmacro %}

{#- Fails the compilation when the union of measures leaves out (or names) a measure model. -#}
{% macro assert_unions_every_measure(unioned) -%}
    {%- if execute -%}
        {%- set listed = unioned | map('upper') | sort -%}
        {%- if listed != measured_kpi_codes() -%}
            {{ exceptions.raise_compiler_error(
                "kpi_measures unions " ~ listed | join(", ") ~ " but the graph's measure models are "
                ~ measured_kpi_codes() | join(", ")
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

-- 指标目录: every KPI of every plan year with whether the warehouse measures it yet (a
-- kpi_measure__<code> model exists in the dbt graph).
{%- set measured = measured_kpi_codes() %}
with

targets as (

    select
        plan_year,
        catalog_order,
        kpi_code,
        action_line,
        kpi_name_zh,
        kpi_name_en,
        unit,
        measure_type,
        comparator,
        scope,
        target_basis,
        target_value,
        source_system,
        definition
    from {{ ref('kpi_targets') }}

),

action_lines as (

    select
        action_line,
        action_line_zh
    from {{ ref('ref_action_lines') }}

),

final as (

    select
        targets.plan_year,
        targets.catalog_order,
        targets.kpi_code,
        targets.action_line,
        action_lines.action_line_zh,
        targets.kpi_name_zh,
        targets.kpi_name_en,
        targets.unit,
        targets.measure_type,
        targets.comparator,
        targets.scope,
        targets.target_basis,
        targets.target_value,
        targets.source_system,
        targets.definition,
        -- '' keeps the list valid while dbt parses (the graph is complete only at execution).
        targets.kpi_code in (
            {%- for kpi_code in measured %}
                '{{ kpi_code }}',
            {%- endfor %}
            ''
        ) as has_measure
    from targets
    inner join action_lines
        on targets.action_line = action_lines.action_line

)

select * from final

-- 指标目录: every KPI of every plan year with whether the warehouse measures it yet.
{%- set measured_kpi_list = "'" ~ var('measured_kpis') | join("', '") ~ "'" %}
with

targets as (

    select
        plan_year,
        catalog_order,
        kpi_code,
        action_line,
        action_line_zh,
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

final as (

    select
        targets.*,
        targets.kpi_code in ({{ measured_kpi_list }}) as has_measure
    from targets

)

select * from final

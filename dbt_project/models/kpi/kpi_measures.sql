-- 指标度量汇总: the union of every kpi_measure__<code> model listed in var measured_kpis.
{% for kpi_code in var('measured_kpis') %}
    select
        kpi_code,
        period_month,
        region_code,
        numerator,
        denominator
    from {{ ref('kpi_measure__' ~ kpi_code | lower) }}
    {% if not loop.last %}
        union all
    {% endif %}
{% endfor %}

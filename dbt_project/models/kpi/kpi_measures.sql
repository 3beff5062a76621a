-- 指标度量汇总: the union of every kpi_measure__<code> model. The measured KPIs are the graph's
-- kpi_measure__ models (measured_kpi_codes); the union lists them once for dbt's lineage and fails
-- to compile when a measure model is missing from it.
{%- set unioned = [
    'sa01', 'sa02', 'sa03', 'sa04', 'sa05', 'sa06',
    'ec01', 'ec02', 'ec03', 'ec04', 'ec05', 'ec06', 'ec07', 'ec08',
    'ec09', 'ec10', 'ec11', 'ec12', 'ec13', 'ec14', 'ec15', 'ec16',
    'ch01', 'ch02', 'ch03', 'ch04', 'ch05',
    'sp01', 'sp02', 'sp03', 'sp04', 'sp05', 'sp06', 'sp07',
    'ss01', 'ss02', 'ss03', 'ss04', 'ss05'
] %}
{{ assert_unions_every_measure(unioned) }}
{% for kpi_code in unioned %}
    select
        kpi_code,
        period_month,
        region_code,
        numerator,
        denominator
    from {{ ref('kpi_measure__' ~ kpi_code) }}
    {% if not loop.last %}
        union all
    {% endif %}
{% endfor %}

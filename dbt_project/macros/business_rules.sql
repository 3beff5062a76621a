{#- Business rules written once. -#}

{#- An institution operates on a date when opened on or before it and not closed on it. -#}
{% macro is_operating_on(opened_date, closed_date, on_date) -%}
    ({{ opened_date }} <= {{ on_date }} and ({{ closed_date }} is null or {{ closed_date }} > {{ on_date }}))
{%- endmacro %}

{#- Real villages and communities: 居委会 (001-199) and 村委会 (200-399) by the last three digits of the
    12-digit code; virtual ones (4xx, 5xx) never count. -#}
{% macro is_real_village_code(village_code) -%}
    (substr({{ village_code }}, 10, 3) between '001' and '399')
{%- endmacro %}

{% macro is_urban_community_code(village_code) -%}
    (substr({{ village_code }}, 10, 3) between '001' and '199')
{%- endmacro %}

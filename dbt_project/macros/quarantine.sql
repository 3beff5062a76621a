{#- Row-level contracts, written once per entity in its base staging model.

    base_<source>__<entity>s: typed, deduplicated rows, plus quarantine_rule / quarantine_reason
    (null when the row keeps every rule). stg_<source>__<entity>s keeps the rows that pass;
    quarantine.quarantine_<source>__<entity>s keeps the rest with the rule they broke. Nothing
    is dropped silently: raw rows = staged + quarantined + superseded + redelivered. -#}

{#- rules: a list of [rule_name, condition that is TRUE for a bad row, reason text].
    The first rule a row breaks is the one reported. Every base model ranks versions
    (rank_versions), so its first rule is the same everywhere: a conflicting re-send. -#}
{% macro quarantine_columns(rules) -%}
    {%- set rules = [conflicting_redelivery_rule()] + rules -%}
    case
        {%- for rule in rules %}
        when {{ rule[1] }} then '{{ rule[0] }}'
        {%- endfor %}
    end as quarantine_rule,
    case
        {%- for rule in rules %}
        when {{ rule[1] }} then '{{ rule[2] }}'
        {%- endfor %}
    end as quarantine_reason
{%- endmacro %}

{#- Same key and version as a row landed before, different content (rank_versions). -#}
{% macro conflicting_redelivery_rule() -%}
    {{ return(['conflicting_redelivery', "version_class = 'conflicting'",
        'conflicting redelivery: same key and version as a landed record, different content']) }}
{%- endmacro %}

{#- A value that is not null but does not cast (dates, numbers). -#}
{% macro fails_cast(column, type) -%}
    ({{ column }} is not null and {{ dbt.safe_cast(column, type) }} is null)
{%- endmacro %}

{#- A 6-digit county code of the city (or the city itself) per the region seed. -#}
{% macro is_unknown_county(column) -%}
    ({{ column }} is null or {{ column }} not in (select region_code from {{ ref('ref_counties') }}))
{%- endmacro %}

{#- The rows of a base model that keep every rule: what the marts read. -#}
{% macro valid_rows(base_model) -%}
    select * from {{ ref(base_model) }}
    where quarantine_rule is null
{%- endmacro %}

{#- The rows of a base model that broke a rule, with the source and entity named. -#}
{% macro quarantined_rows(base_model, source_name, entity, key_column) -%}
    select
        '{{ source_name }}' as source_name,
        '{{ entity }}' as entity,
        cast({{ key_column }} as {{ dbt.type_string() }}) as record_key,
        quarantine_rule,
        quarantine_reason,
        batch_id,
        source_file,
        extracted_at
    from {{ ref(base_model) }}
    where quarantine_rule is not null
{%- endmacro %}

{#- Incremental facts, written once.

    An incremental fact keeps extracted_at: when the source version it was built from was
    extracted. On an incremental run the model rebuilds only the groups (a recipient, a resident,
    a submission) touched by versions extracted after the latest extracted_at it holds, or whose
    lookups changed, and merges them on its unique key. A row the rebuild no longer yields (its
    latest version is quarantined, or a correction moved it to another group that dropped it) is
    retracted: merged as a placeholder with a null extracted_at, then deleted by the post-hook
    delete_retracted_rows(). The merge and the delete are plain SQL on DuckDB and on Spark (Delta).

    Config of such a model: materialized='incremental', unique_key=<key>,
    post_hook=["{{ delete_retracted_rows() }}"]; dbt_project.yml sets incremental_strategy merge and
    on_schema_change fail for every model. After a column change, rebuild it once with --full-refresh. -#}

{#- The latest extracted_at the model holds (null when it holds nothing). -#}
{% macro incremental_watermark(column='extracted_at') -%}
    (select max({{ column }}) from {{ this }})
{%- endmacro %}

{#- True for a version extracted after the model's watermark (always true on an empty model). -#}
{% macro is_extracted_since_watermark(column) -%}
    coalesce({{ column }} > {{ incremental_watermark() }}, true)
{%- endmacro %}

{#- The CTEs that say what an incremental run rebuilds (render them only when is_incremental()):
    held_rows        the rows the model holds: unique_key, group_key and the columns compared below;
    affected_groups  groups with a row version extracted after the watermark; groups of a held row
                     whose version changed or that left staging (quarantined); and, with a lookup,
                     groups whose looked-up values differ from what the model holds (compared: pairs
                     [held column, lookup column]; a lookup row that is gone differs too); and, for
                     a model that inner-joins its lookup (lookup_required), groups of a staged row
                     it does not hold: a late lookup row may now let it in. Lookup rows are never
                     compared with the model's watermark: the lookup's batches land on their own
                     clock, so a lookup extracted after the model's last row would look late forever;
    held_in_affected the keys the model holds in those groups (retracted unless rebuilt).
    rows: the CTE of current staged rows (unique_key, group_key, lookup_key, extracted_at); lookup:
    a CTE with one row per lookup_key (default group_key). A group holds every row whose value
    depends on another (twin orders of a resident, repeat payments of a recipient). -#}
{% macro incremental_scope(rows, unique_key, group_key, lookup=none, lookup_key=none, compared=[], lookup_required=false) -%}
    {%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if execute and 'extracted_at' not in held -%}
        {{ exceptions.raise_compiler_error(
            this ~ " holds no extracted_at: it was built before it became incremental."
            ~ " Rebuild it once with: dbt build --full-refresh -s " ~ model.name
        ) }}
    {%- endif -%}
    {%- set lookup_key = lookup_key or group_key -%}
    {%- set held_columns = [unique_key] -%}
    {%- for column in [group_key, lookup_key] + (compared | map('first') | list) -%}
        {%- if column not in held_columns %}{% do held_columns.append(column) %}{% endif -%}
    {%- endfor -%}
held_rows as (

    select
        {%- for column in held_columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ this }}

),

affected_groups as (

    select {{ rows }}.{{ group_key }}
    from {{ rows }}
    where {{ is_extracted_since_watermark(rows ~ '.extracted_at') }}

    union

    select held_rows.{{ group_key }}
    from held_rows
    left join {{ rows }}
        on held_rows.{{ unique_key }} = {{ rows }}.{{ unique_key }}
    where {{ rows }}.{{ unique_key }} is null or {{ is_extracted_since_watermark(rows ~ '.extracted_at') }}
    {%- if lookup and lookup_required %}

    union

    select {{ rows }}.{{ group_key }}
    from {{ rows }}
    left join held_rows
        on {{ rows }}.{{ unique_key }} = held_rows.{{ unique_key }}
    where held_rows.{{ unique_key }} is null
    {%- endif %}
    {%- if lookup and compared %}

    union

    select held_rows.{{ group_key }}
    from held_rows
    left join {{ lookup }}
        on held_rows.{{ lookup_key }} = {{ lookup }}.{{ lookup_key }}
    where
        {%- for held_column, lookup_column in compared %}
        {{ "or " if not loop.first }}held_rows.{{ held_column }} is distinct from {{ lookup }}.{{ lookup_column }}
        {%- endfor %}
    {%- endif %}

),

held_in_affected as (

    select held_rows.{{ unique_key }}
    from held_rows
    inner join affected_groups
        on held_rows.{{ group_key }} is not distinct from affected_groups.{{ group_key }}

)
{%- endmacro %}

{#- The join that keeps a model's input rows to the affected groups on an incremental run. -#}
{% macro in_affected_groups(rows, group_key) -%}
    {%- if is_incremental() -%}
        inner join affected_groups
            on {{ rows }}.{{ group_key }} is not distinct from affected_groups.{{ group_key }}
    {%- endif -%}
{%- endmacro %}

{#- Placeholder rows (null everywhere but the key) for the keys in held_keys that rows_cte no
    longer yields; appended to the model's rows on an incremental run only. The columns are the
    model's own, in its order, read from the relation it holds. -#}
{% macro retracted_rows(rows_cte, unique_key, held_keys) -%}
    {%- if is_incremental() %}
    union all
    select
        {%- for column in adapter.get_columns_in_relation(this) %}
        {% if column.name | lower == unique_key -%}
            held.{{ unique_key }}
        {%- else -%}
            cast(null as {{ column.dtype }})
        {%- endif %} as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ held_keys }} as held
    where not exists (
        select 1
        from {{ rows_cte }} as kept
        where kept.{{ unique_key }} = held.{{ unique_key }}
    )
    {%- endif %}
{%- endmacro %}

{#- Post-hook: drop the placeholders merged for retracted rows. -#}
{% macro delete_retracted_rows(marker_column='extracted_at') -%}
    delete from {{ this }} where {{ marker_column }} is null
{%- endmacro %}

{#- Incremental base models (the largest raw entities), so that a night reads and ranks only the
    records it touched rather than every version ever landed.

    Render right after the base model's `select * from source(...)`: on an incremental run it keeps
    the raw versions of the records that have a version extracted after the model's watermark, and,
    with group_column, of every record the model holds in the same group or in the group such a
    record leaves (a window over the group, such as twin orders of a resident, must see all of it).
    The model then ranks those versions as before and merges the latest on its unique key; a
    record never leaves the raw zone, so nothing is retracted. key_type: the cast of the raw key
    text to the model's key (none: kept as text). -#}
{% macro only_records_with_new_versions(source_relation, key_column, key_type=none, group_column=none) -%}
    {%- if is_incremental() -%}
    {%- set raw_key = ('cast(' ~ key_column ~ ' as ' ~ key_type ~ ')') if key_type else key_column -%}
    where {{ raw_key }} in (
        with new_versions as (
            select
                {{ raw_key }} as {{ key_column }}{{ ", " ~ group_column if group_column }}
            from {{ source_relation }}
            where {{ is_extracted_since_watermark('_extracted_at') }}
        )
        {%- if group_column %},

        touched_groups as (
            select new_versions.{{ group_column }} from new_versions
            union
            select held.{{ group_column }}
            from {{ this }} as held
            inner join new_versions on held.{{ key_column }} = new_versions.{{ key_column }}
        )

        select held.{{ key_column }}
        from {{ this }} as held
        inner join touched_groups
            on held.{{ group_column }} is not distinct from touched_groups.{{ group_column }}
        union
        {%- endif %}
        select new_versions.{{ key_column }} from new_versions
    )
    {%- endif -%}
{%- endmacro %}

-- 批次行数: rows of every raw batch at each step of staging, per audited source entity.
--   raw          the rows the warehouse reads from the raw zone (the dbt source)
--   redelivered  raw rows identical (every source column, and the export's date where the file
--                name carries the version) to a row landed before them: a re-send
--   latest       the rows the base model keeps: the latest version of each record
--   staged       the rows of the stg_ model (kept the row-level contract)
--   quarantined  the rows of the quarantine_ model (broke it)
-- The audit is the one model besides staging that reads a source: it must count the raw rows
-- before staging deduplicates them.
{#- Every entity of the registries (macros/raw_columns.sql, written by `minzheng generate`). -#}
{%- set audited_entities = raw_entities() -%}

{#- A source declared by hand, outside the registries, would land rows that no reconciliation
    counts: refuse to build. -#}
{%- if execute -%}
    {%- for node in graph.sources.values() if node.package_name == project_name -%}
        {%- if [node.source_name, node.name] not in audited_entities -%}
            {{ exceptions.raise_compiler_error(
                'source ' ~ node.source_name ~ '.' ~ node.name ~ ' is not audited: add it to its '
                ~ 'registry (sources/<system>/entities.yml), run `minzheng generate`, and give it '
                ~ 'its base, stg and quarantine models'
            ) }}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

-- The raw and redelivered counts come from one read of each source, the costly part.
source_stages as (
    select 'raw' as stage_name
    union all
    select 'redelivered' as stage_name
),

row_counts as (
    {% for source_name, entity in audited_entities %}
        {%- set models = source_name ~ '__' ~ entity %}
        select
            '{{ source_name }}' as source_name,
            '{{ entity }}' as entity,
            source_stages.stage_name,
            read_once.batch_id,
            case source_stages.stage_name
                when 'raw' then read_once.raw_rows
                else read_once.redelivered_rows
            end as row_count
        from (
            select
                _batch_id as batch_id,
                count(*) as raw_rows,
                count(case when copy_rank > 1 then 1 end) as redelivered_rows
            from (
                select
                    _batch_id,
                    row_number() over (
                        partition by {{ redelivery_identity(source_name, entity) }}
                        order by _extracted_at, _batch_id
                    ) as copy_rank
                from {{ source(source_name, entity) }}
            ) as copies
            group by _batch_id
        ) as read_once
        cross join source_stages
        where source_stages.stage_name = 'raw' or read_once.redelivered_rows > 0
        union all
        select
            '{{ source_name }}' as source_name,
            '{{ entity }}' as entity,
            'latest' as stage_name,
            batch_id,
            count(*) as row_count
        from {{ ref('base_' ~ models) }}
        group by batch_id
        union all
        select
            '{{ source_name }}' as source_name,
            '{{ entity }}' as entity,
            'staged' as stage_name,
            batch_id,
            count(*) as row_count
        from {{ ref('stg_' ~ models) }}
        group by batch_id
        union all
        select
            '{{ source_name }}' as source_name,
            '{{ entity }}' as entity,
            'quarantined' as stage_name,
            batch_id,
            count(*) as row_count
        from {{ ref('quarantine_' ~ models) }}
        group by batch_id
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (

    select
        source_name,
        entity,
        batch_id,
        stage_name,
        cast(row_count as bigint) as row_count
    from row_counts

)

select * from final

{#- The shape every base staging model shares, written once.

    source CTE (the raw batches) -> ranked CTE: rank_versions() -> renamed CTE (types, house names,
    raw_lineage_columns(), quarantine_columns()) keeping version_rank = 1. -#}

{#- The body of the ranked CTE: every raw row of the CTE named source, numbered within its business
    key from the latest version down, so version_rank = 1 is the record's state. version_order is
    the source's own notion of "later": updated_at (API and database sources), record_version
    (the civil registry's daily files), export_date (the registry's dated full exports) or none;
    extraction time, then batch id, break ties (a re-extracted window lands the same rows again). -#}
{% macro rank_versions(business_key, version_order='updated_at') -%}
    {%- set latest_first = {
        'updated_at': 'cast(source.updated_at as timestamp) desc, ',
        'record_version': 'cast(source.record_version as integer) desc, ',
        'export_date': 'source.export_date desc, ',
        none: '',
    } -%}
    {%- if version_order not in latest_first -%}
        {{ exceptions.raise_compiler_error("rank_versions: unknown version_order " ~ version_order) }}
    {%- endif -%}
    select
        source.*,
        row_number() over (
            partition by {{ business_key }}
            order by {{ latest_first[version_order] }}source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source
{%- endmacro %}

{#- Where a staged row came from: the raw batch, its extraction time (UTC) and the source file. -#}
{% macro raw_lineage_columns() -%}
    _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file
{%- endmacro %}

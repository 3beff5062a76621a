{#- The shape every base staging model shares, written once.

    source CTE (the raw batches) -> ranked CTE: rank_versions() -> renamed CTE (types, house names,
    raw_lineage_columns(), quarantine_columns()) keeping kept_versions(). -#}

{#- The body of the ranked CTE: every raw row of the CTE named source, classified within its
    business key. version_order is the source's own notion of "later": updated_at (API and database
    sources), record_version (the civil registry's daily files), export_date (the registry's dated
    full exports) or none (the key holds the version). A record's version is (key, version):

      version_class  latest       the record's state: its latest version, first landed
                     superseded   an older version, replaced by a later one
                     redelivered  identical (key, version and content) to a row landed before it:
                                  exchanges and re-extracted windows send rows again; counted, not kept
                     conflicting  same key and version as a row landed before it, other content:
                                  kept for quarantine (rule conflicting_redelivery), never the state
      version_rank   1 for the latest row of the key

    Content is compared by a hash of every source column (not the raw zone's own), computed only for
    versions that arrived more than once. Within one version the first landed row wins, so a
    conflicting re-send never replaces what was already published. -#}
{% macro rank_versions(business_key, version_order='updated_at') -%}
    {%- set versions = {
        'updated_at': 'cast(source.updated_at as timestamp)',
        'record_version': 'cast(source.record_version as integer)',
        'export_date': 'source.export_date',
        none: none,
    } -%}
    {%- if version_order not in versions -%}
        {{ exceptions.raise_compiler_error("rank_versions: unknown version_order " ~ version_order) }}
    {%- endif -%}
    {%- set version = versions[version_order] -%}
    {%- set record_version = business_key ~ (', ' ~ version if version else '') -%}
    {%- set landed_first = 'source._extracted_at, source._batch_id, source.content_hash' -%}
    select
        source.*,
        case
            when source.content_rank > 1 then 'redelivered'
            when source.content_hash <> source.first_content_hash then 'conflicting'
            when source.version_rank = 1 then 'latest'
            else 'superseded'
        end as version_class
    from (
        select
            source.*,
            row_number() over (
                partition by {{ business_key }}
                order by {{ version ~ ' desc, ' if version }}source.content_rank, {{ landed_first }}
            ) as version_rank
        from (
            select
                source.*,
                row_number() over (
                    partition by {{ record_version }}, source.content_hash
                    order by {{ landed_first }}
                ) as content_rank,
                first_value(source.content_hash) over (
                    partition by {{ record_version }}
                    order by {{ landed_first }}
                    rows between unbounded preceding and unbounded following
                ) as first_content_hash
            from (
                select
                    source.*,
                    case
                        when count(*) over (partition by {{ record_version }}) > 1
                            then {{ row_content_hash() }}
                    end as content_hash
                from source
            ) as source
        ) as source
    ) as source
{%- endmacro %}

{#- The rows a base model keeps from ranked: each record's state, and conflicting re-sends (which
    quarantine_columns() sends to quarantine). -#}
{% macro kept_versions(relation_alias=none) -%}
    {{ relation_alias ~ '.' if relation_alias }}version_class in ('latest', 'conflicting')
{%- endmacro %}

{#- A hash of a raw row's content: every column of the source entity except the raw zone's
    metadata, nulls told apart from empty text. Written once: base models (rank_versions) and the
    batch audit must agree on what a re-send is. Without arguments, the base model's only source. -#}
{% macro row_content_hash(source_name=none, entity=none) -%}
    {{ return(adapter.dispatch('row_content_hash', 'minzheng')(source_name, entity)) }}
{%- endmacro %}

{#- DuckDB reads the columns itself (no list to keep, nothing queried at compile time). -#}
{% macro duckdb__row_content_hash(source_name=none, entity=none) -%}
    md5(to_json(row(*columns(* exclude (_batch_id, _extracted_at, _source_file)))))
{%- endmacro %}

{#- Elsewhere the columns are the entity's registered ones (raw_columns, generated from the entity
    registry), so nothing is queried at compile time and a unit test's fixture can stand in. -#}
{% macro default__row_content_hash(source_name=none, entity=none) -%}
    {#- At parse time a model's sources are not yet filled in; its text is not used then. -#}
    {%- if not execute %}{{ return("cast(null as " ~ dbt.type_string() ~ ")") }}{% endif -%}
    {%- if source_name is none -%}
        {#- Item access: in a unit test the node is a plain dict, without attributes. -#}
        {%- set source_name, entity = model['sources'][0][0], model['sources'][0][1] -%}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for column in raw_columns(source_name, entity) -%}
        {%- if parts %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(cast(" ~ adapter.quote(column) ~ " as " ~ dbt.type_string()
            ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#- The as-of date of a full export, from its file name (<name>_<YYYYMMDD>.<ext>): the version of
    every record of sources whose meta says version_in_file_name. -#}
{% macro export_date_of_file() -%}
    {{ yyyymmdd_to_date(regex_extract('_source_file', '([0-9]{8})')) }}
{%- endmacro %}

{#- Whether the records of a source take their version from the file name (the registry's full
    exports: var sources_versioned_by_file_date in dbt_project.yml). -#}
{% macro version_in_file_name(source_name) -%}
    {{ return(source_name in var('sources_versioned_by_file_date', [])) }}
{%- endmacro %}

{#- What makes a raw row a re-send of another, for the batch audit: the same content (and, where
    the file name carries the version, the same export date), as rank_versions judges it. -#}
{% macro redelivery_identity(source_name, entity) -%}
    {{ export_date_of_file() ~ ', ' if version_in_file_name(source_name) }}{{ row_content_hash(source_name, entity) }}
{%- endmacro %}

{#- Where a staged row came from: the raw batch, its extraction time (UTC) and the source file. -#}
{% macro raw_lineage_columns() -%}
    _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file
{%- endmacro %}

{#- For an incremental base model, whose unique key must tell a record's state from its conflicting
    re-sends: 0 for the state, then 1, 2, ... for the conflicting rows in the order they landed
    (stable: the raw zone only grows). -#}
{% macro version_copy(business_key) -%}
    case
            when version_class = 'latest' then 0
            else row_number() over (
                partition by {{ business_key }}, version_class
                order by _extracted_at, _batch_id, content_hash
            )
        end
{%- endmacro %}

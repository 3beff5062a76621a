-- 特殊困难老年人探访 (base): latest version per visit_id, typed, with its row-level contract.
-- Incremental: a night re-ranks only the records with a new version (macros/incremental.sql).
{{ config(materialized='incremental', unique_key=['visit_id', 'version_copy']) }}
with

source as (

    select * from {{ source('elderly_care', 'care_visits') }}
    {{ only_records_with_new_versions(source('elderly_care', 'care_visits'), 'visit_id', key_type='bigint') }}

),

ranked as (

    {{ rank_versions('cast(source.visit_id as bigint)') }}

),

renamed as (

    select
        ----------  ids
        cast(visit_id as bigint) as visit_id,
        resident_id,

        ----------  strings
        visit_method,
        visitor_role,

        ----------  dates
        {{ dbt.safe_cast('visit_date', 'date') }} as visit_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},
        {{ version_copy('cast(visit_id as bigint)') }} as version_copy,

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_date', fails_cast('visit_date', 'date'),
                'visit_date is not a date'],
            ['missing_date', 'visit_date is null',
                'visit_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

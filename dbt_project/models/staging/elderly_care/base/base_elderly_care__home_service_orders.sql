-- 居家上门服务订单 (base): latest version per order_id, typed, with its row-level contract.
-- Incremental: a night re-ranks only the records with a new version (macros/incremental.sql).
{{ config(materialized='incremental', unique_key=['order_id', 'version_copy']) }}
with

source as (

    select * from {{ source('elderly_care', 'home_service_orders') }}
    {{ only_records_with_new_versions(
        source('elderly_care', 'home_service_orders'), 'order_id',
        key_type='bigint', group_column='resident_id',
    ) }}

),

ranked as (

    {{ rank_versions('cast(source.order_id as bigint)') }}

),

latest as (

    select
        ranked.*,
        row_number() over (
            partition by
                ranked.version_class, ranked.resident_id, ranked.service_date, ranked.service_type,
                ranked.provider_org_id, ranked.is_government_purchased
            order by cast(ranked.order_id as bigint)
        ) as twin_rank
    from ranked
    where {{ kept_versions('ranked') }}

),

renamed as (

    select
        ----------  ids
        cast(order_id as bigint) as order_id,
        resident_id,
        provider_org_id,

        ----------  strings
        service_type,
        order_status,

        ----------  numerics
        {{ dbt.safe_cast('amount', 'integer') }} as amount_yuan,

        ----------  booleans
        coalesce({{ yes_no_to_boolean('is_government_purchased') }}, false) as is_government_purchased,
        coalesce(order_status = '已完成', false) as is_completed,

        ----------  dates
        {{ dbt.safe_cast('service_date', 'date') }} as service_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},
        {{ version_copy('cast(order_id as bigint)') }} as version_copy,

        ----------  row-level contract
        {{ quarantine_columns([
            ['duplicate_order', 'twin_rank > 1',
                'a twin of an earlier order (same resident, day, service, provider and funding)'],
            ['bad_date', fails_cast('service_date', 'date'),
                'service_date is not a date'],
            ['missing_date', 'service_date is null',
                'service_date is missing'],
        ]) }}

    from latest

)

select * from renamed

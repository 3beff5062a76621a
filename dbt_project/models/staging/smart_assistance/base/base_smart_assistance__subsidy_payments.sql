-- 救助补贴发放 (base): latest version per payment, typed, with its row-level contract.
-- Incremental: a night re-ranks only the records with a new version (macros/incremental.sql).
{{ config(materialized='incremental', unique_key=['payment_id', 'version_copy']) }}
with

source as (

    select * from {{ source('smart_assistance', 'subsidy_payments') }}
    {{ only_records_with_new_versions(source('smart_assistance', 'subsidy_payments'), 'payment_id') }}

),

ranked as (

    {{ rank_versions('source.payment_id') }}

),

renamed as (

    select
        ----------  ids
        payment_id,
        {{ pseudonymise_id('recipient_id_number') }} as recipient_person_key,
        {{ id_number_region_code('recipient_id_number') }} as recipient_id_region_code,
        case_id,
        paying_county_code,

        ----------  strings
        {{ id_number_sex('recipient_id_number') }} as recipient_sex,
        subsidy_type,
        temp_assistance_kind,

        ----------  numerics
        {{ dbt.safe_cast('amount', 'decimal(12, 2)') }} as amount,

        ----------  booleans
        {{ is_valid_id_number('recipient_id_number') }} as is_recipient_id_number_valid,

        ----------  dates
        {{ id_number_birth_month('recipient_id_number') }} as recipient_birth_month,
        {{ dbt.safe_cast("payment_month || '-01'", 'date') }} as payment_month,
        {{ dbt.safe_cast('paid_date', 'date') }} as paid_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},
        {{ version_copy('payment_id') }} as version_copy,

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('paying_county_code'),
                'paying_county_code is not a county of the city'],
            ['missing_recipient', 'recipient_id_number is null',
                'recipient_id_number is missing'],
            ['bad_date', 'payment_month is null or ' ~ fails_cast("payment_month || '-01'", 'date') ~ ' or ' ~ fails_cast('paid_date', 'date'),
                'payment_month is missing or not YYYY-MM, or paid_date is not a date'],
            ['bad_amount', 'amount is null or ' ~ fails_cast('amount', 'decimal(12, 2)'),
                'amount is missing or not a number'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

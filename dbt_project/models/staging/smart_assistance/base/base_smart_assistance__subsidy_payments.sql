-- 救助补贴发放 (base): latest version per payment, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'subsidy_payments') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.payment_id
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        payment_id,
        {{ pseudonymise_id('recipient_id_number') }} as recipient_person_key,
        case_id,
        paying_county_code,

        ----------  strings
        subsidy_type,
        temp_assistance_kind,

        ----------  numerics
        {{ dbt.safe_cast('amount', 'decimal(12, 2)') }} as amount,

        ----------  booleans
        {{ is_valid_id_number('recipient_id_number') }} as is_recipient_id_number_valid,

        ----------  dates
        {{ dbt.safe_cast("payment_month || '-01'", 'date') }} as payment_month,
        {{ dbt.safe_cast('paid_date', 'date') }} as paid_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file,

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('paying_county_code'),
                'paying_county_code is not a Taizhou county'],
            ['missing_recipient', 'recipient_id_number is null',
                'recipient_id_number is missing'],
            ['bad_date', 'payment_month is null or ' ~ fails_cast("payment_month || '-01'", 'date') ~ ' or ' ~ fails_cast('paid_date', 'date'),
                'payment_month is missing or not YYYY-MM, or paid_date is not a date'],
            ['bad_amount', 'amount is null or ' ~ fails_cast('amount', 'decimal(12, 2)'),
                'amount is missing or not a number'],
        ]) }}

    from ranked
    where version_rank = 1

)

select * from renamed

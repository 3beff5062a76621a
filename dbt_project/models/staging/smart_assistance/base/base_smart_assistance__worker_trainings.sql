-- 儿童督导员和儿童主任培训 (base): latest version per training record, typed, with its row-level contract.
with

source as (

    select * from {{ source('smart_assistance', 'worker_trainings') }}

),

ranked as (

    {{ rank_versions('source.training_id') }}

),

renamed as (

    select
        ----------  ids
        training_id,
        worker_id,

        ----------  strings
        training_name,
        training_level,

        ----------  numerics
        {{ dbt.safe_cast('training_hours', 'integer') }} as training_hours,

        ----------  dates
        {{ dbt.safe_cast('training_date', 'date') }} as training_date,

        ----------  timestamps (local time, UTC+8)
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['missing_worker', 'worker_id is null',
                'worker_id is missing'],
            ['bad_date', 'training_date is null or ' ~ fails_cast('training_date', 'date'),
                'training_date is missing or not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 床位变更 (base): latest version per change_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'bed_capacity_changes') }}

),

ranked as (

    {{ rank_versions('cast(source.change_id as bigint)') }}

),

renamed as (

    select
        ----------  ids
        cast(change_id as bigint) as change_id,
        institution_id,

        ----------  numerics
        cast(total_beds as integer) as total_beds,
        cast(nursing_beds as integer) as nursing_beds,

        ----------  dates
        {{ dbt.safe_cast('effective_date', 'date') }} as effective_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['bad_number', fails_cast('total_beds', 'integer') ~ ' or ' ~ fails_cast('nursing_beds', 'integer'),
                'total_beds or nursing_beds is not an integer'],
            ['bad_date', fails_cast('effective_date', 'date'),
                'effective_date is not a date'],
            ['missing_date', 'effective_date is null',
                'effective_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

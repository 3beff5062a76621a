with

source as (

    select * from {{ source('elderly_care', 'bed_capacity_changes') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.change_id
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

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
        cast(effective_date as date) as effective_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id

    from ranked
    where version_rank = 1

)

select * from renamed

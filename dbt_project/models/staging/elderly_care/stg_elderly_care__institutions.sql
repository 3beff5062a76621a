with

source as (

    select * from {{ source('elderly_care', 'institutions') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.institution_id
            order by cast(source.updated_at as timestamp) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        institution_id,
        county_code,
        town_code,
        credit_code as operator_credit_code,

        ----------  strings
        institution_name,
        institution_type,

        ----------  dates
        cast(opened_date as date) as opened_date,
        cast(closed_date as date) as closed_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        _extracted_at as extracted_at,
        _batch_id as batch_id

    from ranked
    where version_rank = 1

)

select * from renamed

with

source as (

    select * from {{ source('civil_registry', 'deaths') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.death_record_id
            order by cast(source.record_version as integer) desc, source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        death_record_id,
        {{ pseudonymise_id('deceased_id_number') }} as deceased_person_key,
        registration_county_code,

        ----------  strings
        {{ id_number_sex('deceased_id_number') }} as deceased_sex,
        funeral_home as funeral_home_name,

        ----------  numerics
        cast(record_version as integer) as record_version,

        ----------  booleans
        {{ is_valid_id_number('deceased_id_number') }} as is_deceased_id_number_valid,
        {{ yes_no_to_boolean('cremated') }} as is_cremated,
        coalesce({{ yes_no_to_boolean('via_96444') }}, false) as is_via_96444,

        ----------  dates
        {{ id_number_birth_month('deceased_id_number') }} as deceased_birth_month,
        cast(death_date as date) as death_date,
        cast(registration_date as date) as registration_date,

        ----------  timestamps
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file

    from ranked
    where version_rank = 1

)

select * from renamed

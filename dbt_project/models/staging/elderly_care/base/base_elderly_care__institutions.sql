-- 养老机构 (base): latest version per institution_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'institutions') }}

),

ranked as (

    {{ rank_versions('source.institution_id') }}

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
        {{ dbt.safe_cast('opened_date', 'date') }} as opened_date,
        {{ dbt.safe_cast('closed_date', 'date') }} as closed_date,
        {{ dbt.safe_cast('standardized_date', 'date') }} as standardized_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', fails_cast('opened_date', 'date') ~ ' or ' ~ fails_cast('closed_date', 'date') ~ ' or ' ~ fails_cast('standardized_date', 'date'),
                'opened_date, closed_date or standardized_date is not a date'],
            ['missing_date', 'opened_date is null',
                'opened_date is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

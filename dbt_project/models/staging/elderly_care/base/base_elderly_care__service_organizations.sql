-- 养老服务组织 (base): latest version per org_id, typed, with its row-level contract.
with

source as (

    select * from {{ source('elderly_care', 'service_organizations') }}

),

ranked as (

    {{ rank_versions('source.org_id') }}

),

renamed as (

    select
        ----------  ids
        org_id,
        county_code,
        credit_code,

        ----------  strings
        org_name,
        recognition_type,

        ----------  dates
        {{ dbt.safe_cast('recognized_date', 'date') }} as recognized_date,

        ----------  timestamps (local time)
        cast(updated_at as timestamp) as updated_at,
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'),
                'county_code is not a county of the city'],
            ['bad_date', fails_cast('recognized_date', 'date'),
                'recognized_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

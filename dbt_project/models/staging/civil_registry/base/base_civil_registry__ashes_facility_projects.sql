-- 公益性骨灰安放设施项目 (base): latest version per project, typed, with its row-level contract.
with

source as (

    select * from {{ source('civil_registry', 'ashes_facility_projects') }}

),

ranked as (

    {{ rank_versions('source.project_id', 'record_version') }}

),

renamed as (

    select
        ----------  ids
        project_id as ashes_facility_project_id,
        county_code,
        town_code,

        ----------  strings
        facility_name,
        facility_kind,
        construction_type,
        project_status as project_state,

        ----------  numerics
        cast(record_version as integer) as record_version,
        {{ dbt.safe_cast('niche_capacity', 'integer') }} as niche_capacity,

        ----------  booleans
        coalesce(construction_type in ('新建', '扩建'), false) as is_new_or_expansion,

        ----------  dates
        {{ dbt.safe_cast('started_date', 'date') }} as started_date,
        {{ dbt.safe_cast('completed_date', 'date') }} as completed_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'), 'county_code is not a county of the city'],
            ['bad_date', fails_cast('started_date', 'date') ~ ' or ' ~ fails_cast('completed_date', 'date'),
                'started_date or completed_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

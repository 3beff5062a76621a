-- 市殡仪馆改造提升 (base): latest version per milestone, typed, with its row-level contract.
with

source as (

    select * from {{ source('civil_registry', 'funeral_home_renovation') }}

),

ranked as (

    {{ rank_versions('source.milestone_id', 'record_version') }}

),

renamed as (

    select
        ----------  ids
        milestone_id,
        project_id as renovation_project_id,
        county_code,

        ----------  strings
        project_name as renovation_project_name,
        milestone as milestone_name,
        milestone_status as milestone_state,

        ----------  numerics
        cast(record_version as integer) as record_version,
        {{ dbt.safe_cast('milestone_seq', 'integer') }} as milestone_seq,

        ----------  dates
        {{ dbt.safe_cast('planned_date', 'date') }} as planned_date,
        {{ dbt.safe_cast('completed_date', 'date') }} as completed_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('county_code'), 'county_code is not a county of the city'],
            ['bad_sequence', 'milestone_seq is null or ' ~ fails_cast('milestone_seq', 'integer'),
                'milestone_seq is missing or not a number'],
            ['bad_date', fails_cast('planned_date', 'date') ~ ' or ' ~ fails_cast('completed_date', 'date'),
                'planned_date or completed_date is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

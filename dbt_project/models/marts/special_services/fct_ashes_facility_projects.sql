-- 公益性骨灰安放设施项目事实: one row per project in its latest version.
with

staged as (

    select
        ashes_facility_project_id,
        facility_name,
        facility_kind,
        construction_type,
        is_new_or_expansion,
        project_state,
        county_code,
        town_code,
        niche_capacity,
        started_date,
        completed_date
    from {{ ref('stg_civil_registry__ashes_facility_projects') }}

),

final as (

    select
        ashes_facility_project_id,
        facility_name,
        facility_kind,
        construction_type,
        is_new_or_expansion,
        project_state,
        county_code,
        town_code,
        niche_capacity,
        started_date,
        completed_date
    from staged

)

select * from final

-- 邻里中心·五美驿站精品项目事实: one row per project with its approval and implementation dates (latest export).
with

staged as (

    select
        flagship_project_id,
        flagship_project_name,
        flagship_project_kind,
        county_code,
        town_code,
        project_state,
        approved_date,
        implemented_date,
        export_date
    from {{ ref('stg_social_org_registry__flagship_projects') }}

),

final as (

    select
        flagship_project_id,
        flagship_project_name,
        flagship_project_kind,
        county_code,
        town_code,
        project_state,
        approved_date,
        implemented_date,
        export_date
    from staged

)

select * from final

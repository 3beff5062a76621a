-- 市殡仪馆改造提升里程碑事实: one row per milestone in its latest version, flagged when it is the project's final one.
with

staged as (

    select
        milestone_id,
        renovation_project_id,
        renovation_project_name,
        county_code,
        milestone_seq,
        milestone_name,
        milestone_state,
        planned_date,
        completed_date
    from {{ ref('stg_civil_registry__funeral_home_renovation') }}

),

final as (

    select
        milestone_id,
        renovation_project_id,
        renovation_project_name,
        county_code,
        milestone_seq,
        milestone_name,
        milestone_state,
        planned_date,
        completed_date,
        coalesce(
            milestone_seq = max(milestone_seq) over (partition by renovation_project_id), false
        ) as is_final_milestone
    from staged

)

select * from final

-- 慈善分会事实: one row per charity branch with its town and validity dates (latest export).
with

staged as (

    select
        charity_branch_id,
        charity_branch_name,
        town_code,
        county_code,
        branch_state,
        established_date,
        dissolved_date,
        export_date
    from {{ ref('stg_social_org_registry__charity_branches') }}

),

final as (

    select
        charity_branch_id,
        charity_branch_name,
        town_code,
        county_code,
        branch_state,
        established_date,
        dissolved_date,
        export_date
    from staged

)

select * from final

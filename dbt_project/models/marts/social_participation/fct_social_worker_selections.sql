-- 社工选拔事实: one row per selection (全科社工 / 金牌社工); the person only as a pseudonymous key.
with

staged as (

    select
        selection_id,
        social_worker_person_key,
        county_code,
        selection_category,
        selection_batch,
        selected_date,
        is_id_number_valid,
        export_date
    from {{ ref('stg_social_org_registry__social_worker_selections') }}

),

final as (

    select
        selection_id,
        social_worker_person_key,
        county_code,
        selection_category,
        selection_batch,
        selected_date,
        is_id_number_valid,
        export_date
    from staged

)

select * from final

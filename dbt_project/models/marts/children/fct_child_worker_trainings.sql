-- 儿童督导员和儿童主任培训事实: one row per training attended, with the worker's role and county.
with

trainings as (

    select
        training_id,
        worker_id,
        training_name,
        training_level,
        training_hours,
        training_date
    from {{ ref('stg_smart_assistance__worker_trainings') }}

),

workers as (

    select
        worker_id,
        worker_role,
        county_code
    from {{ ref('dim_child_workers') }}

),

final as (

    select
        trainings.training_id,
        trainings.worker_id,
        workers.worker_role,
        workers.county_code,
        trainings.training_name,
        trainings.training_level,
        trainings.training_hours,
        trainings.training_date
    from trainings
    inner join workers
        on trainings.worker_id = workers.worker_id

)

select * from final

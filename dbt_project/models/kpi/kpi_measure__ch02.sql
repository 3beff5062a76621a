-- CH02 儿童督导员儿童主任年参训率: child supervisors and child directors in post at period end, by county:
-- numerator those with at least one training in the year to date, denominator all in post.
with

workers as (

    select
        worker_id,
        county_code,
        appointed_date,
        left_date
    from {{ ref('dim_child_workers') }}

),

trainings as (

    select
        worker_id,
        training_date
    from {{ ref('fct_child_worker_trainings') }}

),

{{ kpi_calendar() }},

in_post as (

    select
        calendar.period_month,
        calendar.period_end,
        calendar.year_start,
        workers.worker_id,
        workers.county_code
    from calendar
    inner join workers
        on
            {{ is_in_effect_on('workers.appointed_date', 'workers.left_date', 'calendar.period_end') }}

),

trained as (

    select distinct
        in_post.period_month,
        in_post.worker_id
    from in_post
    inner join trainings
        on
            in_post.worker_id = trainings.worker_id
            and trainings.training_date between in_post.year_start and in_post.period_end

),

final as (

    select
        'CH02' as kpi_code,
        in_post.period_month,
        in_post.county_code as region_code,
        cast(sum(case when trained.worker_id is not null then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from in_post
    left join trained
        on
            in_post.period_month = trained.period_month
            and in_post.worker_id = trained.worker_id
    group by in_post.period_month, in_post.county_code

)

select * from final

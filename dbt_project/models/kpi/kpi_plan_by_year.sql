-- 年度指标: the measured KPIs each year of the calendar reports, with the target in force that year.
-- A plan year reports its own plan. The year before a plan reports the plan's KPIs that it does not
-- plan itself, as a baseline: no target, basis 'baseline' (状态 监测), so that the plan's first
-- months have a same month of last year to compare with (同比). A KPI dropped from a plan is no
-- longer reported from that year on.
with

catalog as (

    select
        cast(plan_year as integer) as plan_year,
        kpi_code,
        action_line,
        kpi_name_zh,
        measure_type,
        comparator,
        scope,
        target_basis,
        cast(target_value as double) as target_value
    from {{ ref('kpi_catalog') }}
    where has_measure

),

years as (

    select distinct plan_year
    from {{ ref('dim_calendar') }}

),

baseline as (

    select
        cast(years.plan_year as integer) as plan_year,
        next_plan.kpi_code,
        next_plan.action_line,
        next_plan.kpi_name_zh,
        next_plan.measure_type,
        'monitor' as comparator,
        next_plan.scope,
        'baseline' as target_basis,
        cast(null as double) as target_value
    from years
    inner join catalog as next_plan
        on years.plan_year + 1 = next_plan.plan_year
    left join catalog as own_plan
        on
            years.plan_year = own_plan.plan_year
            and next_plan.kpi_code = own_plan.kpi_code
    where own_plan.kpi_code is null

),

final as (

    select * from catalog
    union all
    select * from baseline

)

select * from final

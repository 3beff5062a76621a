-- SP06 镇街慈善分会覆盖率: real towns and streets (街道, 镇, 乡; parks never count) with a charity
-- branch established by period end and not dissolved by then, over all of them, by county.
with

towns as (

    select
        region_code as town_code,
        county_code
    from {{ ref('dim_region') }}
    where region_level = 'town' and unit_type in ('街道', '镇', '乡')

),

branches as (

    select
        town_code,
        established_date,
        dissolved_date
    from {{ ref('fct_charity_branches') }}

),

calendar as (

    select
        period_month,
        period_end,
        plan_year,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

covered_towns as (

    select distinct
        calendar.period_month,
        branches.town_code
    from calendar
    inner join branches
        on
            calendar.period_end >= branches.established_date
            and (branches.dissolved_date is null or calendar.period_end < branches.dissolved_date)

),

final as (

    select
        'SP06' as kpi_code,
        calendar.period_month,
        towns.county_code as region_code,
        cast(sum(case when covered_towns.town_code is not null then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    cross join towns
    left join covered_towns
        on
            calendar.period_month = covered_towns.period_month
            and towns.town_code = covered_towns.town_code
    group by calendar.period_month, towns.county_code

)

select * from final

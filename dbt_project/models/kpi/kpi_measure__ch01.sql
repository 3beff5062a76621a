-- CH01 省级示范性未保站改造提升数: minor-protection stations upgraded to provincial demonstration level
-- in the year to date, by county (a cumulative count; denominator null). Every county has a row in
-- every month (zero when none), as the target is city-wide and only the city row is published.
with

stations as (

    select
        county_code,
        provincial_demo_date
    from {{ ref('dim_protection_stations') }}
    where provincial_demo_date is not null

),

counties as (

    select region_code as county_code
    from {{ ref('dim_region') }}
    where region_level = 'county'

),

calendar as (

    select
        period_month,
        period_end,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

grid as (

    select
        calendar.period_month,
        calendar.period_end,
        calendar.year_start,
        counties.county_code
    from calendar
    cross join counties

),

final as (

    select
        'CH01' as kpi_code,
        grid.period_month,
        grid.county_code as region_code,
        cast(count(stations.county_code) as bigint) as numerator,
        cast(null as bigint) as denominator
    from grid
    left join stations
        on
            grid.county_code = stations.county_code
            and stations.provincial_demo_date between grid.year_start and grid.period_end
    group by grid.period_month, grid.county_code

)

select * from final

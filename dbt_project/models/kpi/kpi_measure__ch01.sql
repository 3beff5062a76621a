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

{{ kpi_calendar() }},

grid as (

    select
        calendar.period_month,
        calendar.period_end,
        calendar.year_start,
        counties.county_code
    from calendar
    cross join counties

),

{{ kpi_year_to_date_on_grid('CH01', 'stations', 'provincial_demo_date') }}

select * from final

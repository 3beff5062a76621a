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

{{ kpi_calendar() }},

{{ kpi_coverage_at_period_end('SP06', 'towns', 'town_code', 'branches', 'established_date', 'dissolved_date') }}

select * from final

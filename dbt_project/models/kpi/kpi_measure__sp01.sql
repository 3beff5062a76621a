-- SP01 邻里中心·五美驿站精品项目数: flagship projects implemented YTD, by county (a city-scope
-- YTD count; denominator null).
with

projects as (

    select
        flagship_project_id,
        county_code,
        implemented_date
    from {{ ref('fct_flagship_projects') }}
    where implemented_date is not null

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SP01', 'projects', 'implemented_date', 'county_code',
) }}

select * from final

-- SS01 新建扩建公益性骨灰安放设施数: new or expanded public-welfare ashes facilities (新建 / 扩建; a
-- repair never counts) completed YTD, by county (a city-scope YTD count; denominator null).
with

projects as (

    select
        ashes_facility_project_id,
        county_code,
        completed_date
    from {{ ref('fct_ashes_facility_projects') }}
    where is_new_or_expansion and completed_date is not null

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SS01', 'projects', 'completed_date', 'county_code',
) }}

select * from final

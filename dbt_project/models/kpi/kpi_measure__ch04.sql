-- CH04 留守流动儿童监测摸排覆盖率: real villages/communities with a submission for the month over all
-- real villages/communities, by county.
with

villages as (

    select
        region_code as village_code,
        county_code
    from {{ ref('dim_region') }}
    where is_real_village

),

submissions as (

    select distinct
        village_code,
        survey_month
    from {{ ref('fct_child_survey_submissions') }}

),

calendar as (

    select period_month
    from {{ ref('dim_calendar') }}
    where is_reported

),

village_months as (

    select
        calendar.period_month,
        villages.county_code,
        villages.village_code,
        submissions.village_code is not null as has_submission
    from calendar
    cross join villages
    left join submissions
        on
            villages.village_code = submissions.village_code
            and calendar.period_month = submissions.survey_month

),

final as (

    select
        'CH04' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(case when has_submission then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from village_months
    group by period_month, county_code

)

select * from final

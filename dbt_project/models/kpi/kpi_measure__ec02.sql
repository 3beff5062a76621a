-- EC02 城市社区养老服务站配建率: urban communities (real village code 001-199) with at least one
-- operating 社区养老服务站 at the period end, over all urban communities, by the community's county.
with

communities as (

    select
        region_code as village_code,
        county_code
    from {{ ref('dim_region') }}
    where is_urban_community

),

calendar as (

    select period_month
    from {{ ref('dim_calendar') }}
    where is_reported

),

covered as (

    select distinct
        village_code,
        period_month
    from {{ ref('fct_community_facility_monthly') }}
    where facility_type = '社区养老服务站' and is_operating

),

final as (

    select
        'EC02' as kpi_code,
        calendar.period_month,
        communities.county_code as region_code,
        cast(count(covered.village_code) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from communities
    cross join calendar
    left join covered
        on
            communities.village_code = covered.village_code
            and calendar.period_month = covered.period_month
    group by calendar.period_month, communities.county_code

)

select * from final

-- SP07 城市社区服务品牌覆盖率: urban communities (居委会, village code 001-199) with a service brand
-- registered by period end and not revoked by then, over all urban communities, by county.
with

communities as (

    select
        region_code as community_code,
        county_code
    from {{ ref('dim_region') }}
    where is_urban_community

),

brands as (

    select
        community_code,
        registered_date,
        revoked_date
    from {{ ref('fct_community_service_brands') }}

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

branded_communities as (

    select distinct
        calendar.period_month,
        brands.community_code
    from calendar
    inner join brands
        on
            calendar.period_end >= brands.registered_date
            and (brands.revoked_date is null or calendar.period_end < brands.revoked_date)

),

final as (

    select
        'SP07' as kpi_code,
        calendar.period_month,
        communities.county_code as region_code,
        cast(sum(case when branded_communities.community_code is not null then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    cross join communities
    left join branded_communities
        on
            calendar.period_month = branded_communities.period_month
            and communities.community_code = branded_communities.community_code
    group by calendar.period_month, communities.county_code

)

select * from final

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

{{ kpi_calendar() }},

{{ kpi_coverage_at_period_end('SP07', 'communities', 'community_code', 'brands', 'registered_date', 'revoked_date') }}

select * from final

-- EC13 品牌化连锁化养老服务组织数: service organizations recognized as brand or chain operators with
-- recognized_date in the plan year to the period end, per district (a YTD count).
with

organizations as (

    select
        county_code,
        recognized_date
    from {{ ref('dim_service_organizations') }}
    where is_brand_or_chain

),

{{ ec_county_month_grid() }},

final as (

    select
        'EC13' as kpi_code,
        grid.period_month,
        grid.county_code as region_code,
        cast(count(organizations.county_code) as bigint) as numerator,
        cast(null as bigint) as denominator
    from grid
    left join organizations
        on
            grid.county_code = organizations.county_code
            and organizations.recognized_date between grid.year_start and grid.period_end
    group by grid.period_month, grid.county_code

)

select * from final

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

{{ kpi_year_to_date_on_grid('EC13', 'organizations', 'recognized_date') }}

select * from final

-- EC04 标准化区域性养老服务中心数: operating 区域性养老服务中心 standardized by the period end.
with

facts as (

    select
        period_month,
        county_code,
        institution_type = '区域性养老服务中心' and is_operating and is_standardized as is_counted
    from {{ ref('fct_institution_status_monthly') }}

),

{{ kpi_from_monthly_facts('EC04') }}

select * from final

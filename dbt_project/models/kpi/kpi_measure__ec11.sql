-- EC11 养老机构护理型床位占比: nursing beds over total beds of institutions operating at period end.
with

capacity as (

    select
        period_month,
        county_code,
        nursing_beds,
        total_beds
    from {{ ref('fct_institution_capacity_monthly') }}
    where is_operating

),

final as (

    select
        'EC11' as kpi_code,
        period_month,
        county_code as region_code,
        cast(sum(nursing_beds) as bigint) as numerator,
        cast(sum(total_beds) as bigint) as denominator
    from capacity
    group by period_month, county_code

)

select * from final

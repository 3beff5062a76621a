-- 社会组织年检年度汇总: per inspection year and registering authority, organizations required,
-- submitted and by result (latest export).
with

inspections as (

    select
        region_code,
        inspection_year,
        is_required,
        is_submitted,
        inspection_result
    from {{ ref('fct_annual_inspections') }}

),

final as (

    select
        inspection_year,
        region_code,
        cast(sum(case when is_required then 1 else 0 end) as bigint) as organizations_required,
        cast(sum(case when is_required and is_submitted then 1 else 0 end) as bigint) as required_submitted,
        cast(sum(case when is_submitted then 1 else 0 end) as bigint) as submitted,
        cast(sum(case when inspection_result = '合格' then 1 else 0 end) as bigint) as passed,
        cast(sum(case when inspection_result = '基本合格' then 1 else 0 end) as bigint) as basically_passed,
        cast(sum(case when inspection_result = '不合格' then 1 else 0 end) as bigint) as failed
    from inspections
    group by inspection_year, region_code

)

select * from final

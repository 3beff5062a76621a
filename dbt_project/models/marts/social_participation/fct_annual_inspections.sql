-- 社会组织年检事实: one row per organization and inspection year, as in the latest export; no personal data.
with

staged as (

    select
        organization_credit_code,
        registration_authority_code as region_code,
        inspection_year,
        is_required,
        is_submitted,
        submitted_date,
        inspection_result,
        concluded_date,
        export_date
    from {{ ref('stg_social_org_registry__annual_inspections') }}

),

final as (

    select
        organization_credit_code,
        region_code,
        inspection_year,
        is_required,
        is_submitted,
        submitted_date,
        inspection_result,
        concluded_date,
        export_date
    from staged

)

select * from final

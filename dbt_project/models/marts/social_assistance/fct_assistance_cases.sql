-- 救助案件事实: one row per assistance case in its latest state; no personal data.
with

cases as (

    select
        case_id,
        case_type,
        temp_assistance_kind,
        case_origin,
        discovery_channel,
        is_proactively_discovered,
        case_status,
        registered_county_code,
        handling_county_code,
        emergency_county_code,
        residence_village_code,
        applicant_sex,
        is_applicant_id_number_valid,
        applied_date,
        approved_date,
        terminated_date,
        monthly_amount,
        one_off_amount,
        updated_at
    from {{ ref('stg_smart_assistance__assistance_cases') }}

),

taizhou_counties as (

    select region_code
    from {{ ref('dim_region') }}
    where region_level = 'county'

),

final as (

    select
        cases.case_id,
        cases.case_type,
        cases.temp_assistance_kind,
        cases.case_origin,
        cases.discovery_channel,
        cases.is_proactively_discovered,
        cases.case_status,
        cases.registered_county_code,
        cases.handling_county_code,
        cases.emergency_county_code,
        taizhou_counties.region_code as emergency_region_code,
        cases.residence_village_code,
        cases.applicant_sex,
        cases.is_applicant_id_number_valid,
        cases.applied_date,
        cases.approved_date,
        cases.terminated_date,
        cases.monthly_amount,
        cases.one_off_amount,
        cases.updated_at,
        coalesce(cases.case_status = '已批准', false) as is_approved,
        coalesce(cases.emergency_county_code <> cases.registered_county_code, false)
            as is_emergency_outside_registration,
        coalesce(cases.handling_county_code = cases.emergency_county_code, false)
            as is_handled_at_emergency_place
    from cases
    left join taizhou_counties
        on cases.emergency_county_code = taizhou_counties.region_code

)

select * from final

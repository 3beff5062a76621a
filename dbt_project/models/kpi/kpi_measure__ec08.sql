-- EC08 养老机构等级评定通过率: operating institutions holding a valid grade at the period end
-- (rated_date <= period end <= valid_until) over all operating institutions.
with

facts as (

    select
        period_month,
        county_code,
        has_valid_grade as is_counted
    from {{ ref('fct_institution_status_monthly') }}
    where is_operating

),

{{ kpi_from_monthly_facts('EC08', with_denominator=true) }}

select * from final

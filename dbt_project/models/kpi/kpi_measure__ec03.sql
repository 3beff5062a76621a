-- EC03 失能特困人员专业化供养机构数: operating 失能特困供养机构 at the period end, per district.
with

facts as (

    select
        period_month,
        county_code,
        institution_type = '失能特困供养机构' and is_operating as is_counted
    from {{ ref('fct_institution_status_monthly') }}

),

{{ kpi_from_monthly_facts('EC03') }}

select * from final

-- EC05 示范性乡村互助养老睦邻点改造提升数: 互助养老睦邻点 upgraded to 示范性 in the plan year to the
-- period end, each point once however many upgrade events it has.
with

facts as (

    select
        period_month,
        county_code,
        facility_type = '互助养老睦邻点' and is_upgraded_demonstration_ytd as is_counted
    from {{ ref('fct_community_facility_monthly') }}

),

{{ kpi_from_monthly_facts('EC05') }}

select * from final

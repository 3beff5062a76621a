-- 养老设施维度: elderly-care institutions and community facilities in one list, for dashboards and
-- analysts who ask "which facilities are in this town" regardless of the source table.
with

institutions as (

    select
        institution_id as facility_id,
        'institution' as facility_class,
        institution_type as facility_type,
        institution_name as facility_name,
        county_code,
        town_code,
        cast(null as {{ dbt.type_string() }}) as village_code,
        opened_date,
        closed_date is null as is_open_now
    from {{ ref('stg_elderly_care__institutions') }}

),

community as (

    select
        facility_id,
        'community' as facility_class,
        facility_type,
        facility_name,
        county_code,
        town_code,
        village_code,
        opened_date,
        current_status = '运营' as is_open_now
    from {{ ref('stg_elderly_care__community_facilities') }}

),

final as (

    select * from institutions
    union all
    select * from community

)

select * from final

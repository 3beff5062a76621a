-- 行政区划维度: the city, its county-level districts, towns and villages/communities.
with

counties as (

    select
        region_code,
        region_name,
        region_level,
        parent_region_code,
        bureau_name
    from {{ ref('ref_counties') }}

),

divisions as (

    select
        code as division_code,
        name as division_name,
        level as division_level,
        parent_code,
        unit_type
    from {{ ref('ref_divisions') }}

),

county_level as (

    select
        region_code,
        region_name,
        region_level,
        parent_region_code,
        case when region_level = 'county' then region_code end as county_code,
        cast(null as {{ dbt.type_string() }}) as town_code,
        case when region_level = 'city' then '地级市' else '县级区划' end as unit_type,
        bureau_name
    from counties

),

towns_and_villages as (

    select
        divisions.division_code as region_code,
        divisions.division_name as region_name,
        divisions.division_level as region_level,
        case
            when divisions.division_level = 'town' then substr(divisions.parent_code, 1, 6)
            else divisions.parent_code
        end as parent_region_code,
        substr(divisions.division_code, 1, 6) as county_code,
        case
            when divisions.division_level = 'town' then divisions.division_code
            else divisions.parent_code
        end as town_code,
        divisions.unit_type,
        cast(null as {{ dbt.type_string() }}) as bureau_name
    from divisions

),

unioned as (

    select * from county_level
    union all
    select * from towns_and_villages

),

final as (

    select
        unioned.region_code,
        unioned.region_name,
        unioned.region_level,
        unioned.parent_region_code,
        unioned.county_code,
        counties.region_name as county_name,
        unioned.town_code,
        unioned.unit_type,
        unioned.bureau_name,
        coalesce(
            unioned.region_level = 'village' and {{ is_real_village_code('unioned.region_code') }},
            false
        ) as is_real_village,
        coalesce(
            unioned.region_level = 'village' and {{ is_urban_community_code('unioned.region_code') }},
            false
        ) as is_urban_community
    from unioned
    left join counties
        on unioned.county_code = counties.region_code

)

select * from final

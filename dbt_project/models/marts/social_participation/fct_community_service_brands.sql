-- 社区服务品牌事实: one row per brand with its community and validity dates (latest export).
with

staged as (

    select
        service_brand_id,
        service_brand_name,
        community_code,
        county_code,
        brand_state,
        registered_date,
        revoked_date,
        export_date
    from {{ ref('stg_social_org_registry__community_service_brands') }}

),

final as (

    select
        service_brand_id,
        service_brand_name,
        community_code,
        county_code,
        brand_state,
        registered_date,
        revoked_date,
        export_date
    from staged

)

select * from final

-- 养老服务组织维度: one row per home-care service organization, with brand/chain recognition.
with

organizations as (

    select
        org_id,
        org_name,
        credit_code,
        county_code,
        recognition_type,
        recognized_date
    from {{ ref('stg_elderly_care__service_organizations') }}

),

final as (

    select
        org_id,
        org_name,
        credit_code,
        county_code,
        recognition_type,
        recognized_date,
        recognition_type is not null and recognized_date is not null as is_brand_or_chain
    from organizations

)

select * from final

-- 社区服务品牌隔离区: community service brands that broke a row-level contract, with the rule.
{{ quarantined_rows(
    'base_social_org_registry__community_service_brands',
    'social_org_registry',
    'community_service_brands',
    'service_brand_id',
) }}

-- 社区服务品牌 (base): the latest export's row per brand, typed, with its row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'community_service_brands') }}

),

ranked as (

    {{ rank_versions('source.' ~ adapter.quote('品牌编号'), 'export_date') }}

),

renamed as (

    select
        ----------  ids
        {{ adapter.quote('品牌编号') }} as service_brand_id,
        {{ adapter.quote('社区代码') }} as community_code,
        substr({{ adapter.quote('社区代码') }}, 1, 6) as county_code,

        ----------  strings
        {{ adapter.quote('品牌名称') }} as service_brand_name,
        {{ adapter.quote('社区名称') }} as community_name,
        {{ adapter.quote('品牌状态') }} as brand_state,

        ----------  dates
        export_date,
        {{ dbt.safe_cast(adapter.quote('登记日期'), 'date') }} as registered_date,
        {{ dbt.safe_cast(adapter.quote('撤销日期'), 'date') }} as revoked_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('substr(' ~ adapter.quote('社区代码') ~ ', 1, 6)'),
                '社区代码 is not in a county of the city'],
            ['bad_date', fails_cast(adapter.quote('登记日期'), 'date') ~ ' or ' ~ fails_cast(adapter.quote('撤销日期'), 'date'),
                '登记日期 or 撤销日期 is not a date'],
            ['missing_date', adapter.quote('登记日期') ~ ' is null', '登记日期 is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

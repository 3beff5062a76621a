-- 慈善分会 (base): the latest export's row per branch, typed, with its row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'charity_branches') }}

),

ranked as (

    {{ rank_versions('source.' ~ adapter.quote('分会编号'), 'export_date') }}

),

renamed as (

    select
        ----------  ids
        {{ adapter.quote('分会编号') }} as charity_branch_id,
        {{ adapter.quote('所在镇街代码') }} as town_code,
        substr({{ adapter.quote('所在镇街代码') }}, 1, 6) as county_code,

        ----------  strings
        {{ adapter.quote('分会名称') }} as charity_branch_name,
        {{ adapter.quote('所在镇街名称') }} as town_name,
        {{ adapter.quote('分会状态') }} as branch_state,

        ----------  dates
        export_date,
        {{ dbt.safe_cast(adapter.quote('成立日期'), 'date') }} as established_date,
        {{ dbt.safe_cast(adapter.quote('撤销日期'), 'date') }} as dissolved_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('substr(' ~ adapter.quote('所在镇街代码') ~ ', 1, 6)'),
                '所在镇街代码 is not in a county of the city'],
            ['bad_date', fails_cast(adapter.quote('成立日期'), 'date') ~ ' or ' ~ fails_cast(adapter.quote('撤销日期'), 'date'),
                '成立日期 or 撤销日期 is not a date'],
            ['missing_date', adapter.quote('成立日期') ~ ' is null', '成立日期 is missing'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 邻里中心·五美驿站精品项目 (base): the latest export's row per project, typed, with its
-- row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'flagship_projects') }}

),

ranked as (

    {{ rank_versions('source.' ~ adapter.quote('项目编号'), 'export_date') }}

),

renamed as (

    select
        ----------  ids
        {{ adapter.quote('项目编号') }} as flagship_project_id,
        {{ adapter.quote('县级区划代码') }} as county_code,
        {{ adapter.quote('所在镇街代码') }} as town_code,

        ----------  strings
        {{ adapter.quote('项目名称') }} as flagship_project_name,
        {{ adapter.quote('项目类型') }} as flagship_project_kind,
        {{ adapter.quote('实施单位') }} as implementing_unit_name,
        {{ adapter.quote('项目状态') }} as project_state,

        ----------  dates
        export_date,
        {{ dbt.safe_cast(adapter.quote('立项日期'), 'date') }} as approved_date,
        {{ dbt.safe_cast(adapter.quote('实施日期'), 'date') }} as implemented_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county(adapter.quote('县级区划代码')),
                '县级区划代码 is not a county of the city'],
            ['bad_date', fails_cast(adapter.quote('立项日期'), 'date') ~ ' or ' ~ fails_cast(adapter.quote('实施日期'), 'date'),
                '立项日期 or 实施日期 is not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

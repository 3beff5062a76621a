-- One row per organization per export (full exports; the export date comes from the file name).
with

source as (

    select
        *,
        {{ yyyymmdd_to_date(regex_extract('_source_file', '([0-9]{8})')) }} as export_date
    from {{ source('social_org_registry', 'organizations') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source."统一社会信用代码", source.export_date
            order by source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  ids
        upper(trim("统一社会信用代码")) as organization_credit_code,
        "登记管理机关代码" as registration_authority_code,

        ----------  strings
        "社会组织名称" as organization_name,
        "社会组织类型" as organization_type,
        "登记管理机关" as registration_authority_name,
        "登记状态" as registration_state,

        ----------  booleans
        coalesce("登记状态" = '正常', false) as is_active,
        {{ yes_no_to_boolean('"是否慈善组织"') }} as is_charity,

        ----------  dates
        export_date,
        cast("成立登记日期" as date) as registered_date,
        cast(nullif(trim("注销撤销日期"), '') as date) as deregistered_date,

        ----------  timestamps
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file

    from ranked
    where version_rank = 1

)

select * from renamed

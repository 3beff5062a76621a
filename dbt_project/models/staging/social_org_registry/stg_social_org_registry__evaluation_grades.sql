-- One row per grade per export (full exports; the export date comes from the file name).
with

source as (

    select
        *,
        {{ yyyymmdd_to_date(regex_extract('_source_file', '([0-9]{8})')) }} as export_date
    from {{ source('social_org_registry', 'evaluation_grades') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source."统一社会信用代码", source."评定日期", source.export_date
            order by source._extracted_at desc, source._batch_id desc
        ) as version_rank
    from source

),

renamed as (

    select
        ----------  strings
        "社会组织名称" as organization_name,
        "评估等级" as evaluation_grade,

        ----------  ids
        upper(trim("统一社会信用代码")) as organization_credit_code,

        ----------  numerics
        cast("评估得分" as decimal(6, 1)) as evaluation_score,

        ----------  dates
        export_date,
        cast("评定日期" as date) as graded_date,
        cast("有效期至" as date) as grade_valid_until_date,

        ----------  timestamps
        _extracted_at as extracted_at,
        _batch_id as batch_id,
        _source_file as source_file

    from ranked
    where version_rank = 1

)

select * from renamed

-- 社工选拔 (base): the latest export's row per selection, typed, the ID number turned into a
-- person key (name and phone dropped), with its row-level contract.
with

source as (

    select
        *,
        {{ yyyymmdd_to_date(regex_extract('_source_file', '([0-9]{8})')) }} as export_date
    from {{ source('social_org_registry', 'social_worker_selections') }}

),

ranked as (

    {{ rank_versions('source."选拔编号"', 'export_date') }}

),

renamed as (

    select
        ----------  ids
        "选拔编号" as selection_id,
        {{ pseudonymise_id('"身份证号"') }} as social_worker_person_key,
        {{ id_number_region_code('"身份证号"') }} as social_worker_id_region_code,
        "县级区划代码" as county_code,

        ----------  strings
        "选拔类别" as selection_category,
        "选拔批次" as selection_batch,
        "工作单位" as work_unit_name,
        {{ id_number_sex('"身份证号"') }} as social_worker_sex,

        ----------  booleans
        {{ is_valid_id_number('"身份证号"') }} as is_id_number_valid,

        ----------  dates
        export_date,
        {{ id_number_birth_month('"身份证号"') }} as social_worker_birth_month,
        {{ dbt.safe_cast('"选拔日期"', 'date') }} as selected_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county('"县级区划代码"'),
                '县级区划代码 is not a Taizhou county'],
            ['unknown_category', '"选拔类别" is null or "选拔类别" not in (\'全科社工\', \'金牌社工\')',
                '选拔类别 is not 全科社工 or 金牌社工'],
            ['missing_person', '"身份证号" is null', '身份证号 is missing'],
            ['bad_date', '"选拔日期" is null or ' ~ fails_cast('"选拔日期"', 'date'),
                '选拔日期 is missing or not a date'],
        ]) }}

    from ranked
    where version_rank = 1

)

select * from renamed

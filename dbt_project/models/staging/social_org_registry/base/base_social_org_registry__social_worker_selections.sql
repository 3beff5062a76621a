-- 社工选拔 (base): the latest export's row per selection, typed, the ID number turned into a
-- person key (name and phone dropped), with its row-level contract.
with

source as (

    select
        *,
        {{ export_date_of_file() }} as export_date
    from {{ source('social_org_registry', 'social_worker_selections') }}

),

ranked as (

    {{ rank_versions('source.' ~ adapter.quote('选拔编号'), 'export_date') }}

),

renamed as (

    select
        ----------  ids
        {{ adapter.quote('选拔编号') }} as selection_id,
        {{ pseudonymise_id(adapter.quote('身份证号')) }} as social_worker_person_key,
        {{ id_number_region_code(adapter.quote('身份证号')) }} as social_worker_id_region_code,
        {{ adapter.quote('县级区划代码') }} as county_code,

        ----------  strings
        {{ adapter.quote('选拔类别') }} as selection_category,
        {{ adapter.quote('选拔批次') }} as selection_batch,
        {{ adapter.quote('工作单位') }} as work_unit_name,
        {{ id_number_sex(adapter.quote('身份证号')) }} as social_worker_sex,

        ----------  booleans
        {{ is_valid_id_number(adapter.quote('身份证号')) }} as is_id_number_valid,

        ----------  dates
        export_date,
        {{ id_number_birth_month(adapter.quote('身份证号')) }} as social_worker_birth_month,
        {{ dbt.safe_cast(adapter.quote('选拔日期'), 'date') }} as selected_date,

        ----------  timestamps
        {{ raw_lineage_columns() }},

        ----------  row-level contract
        {{ quarantine_columns([
            ['unknown_region', is_unknown_county(adapter.quote('县级区划代码')),
                '县级区划代码 is not a county of the city'],
            ['unknown_category', adapter.quote('选拔类别') ~ ' is null or ' ~ adapter.quote('选拔类别') ~ ' not in (\'全科社工\', \'金牌社工\')',
                '选拔类别 is not 全科社工 or 金牌社工'],
            ['missing_person', adapter.quote('身份证号') ~ ' is null', '身份证号 is missing'],
            ['bad_date', adapter.quote('选拔日期') ~ ' is null or ' ~ fails_cast(adapter.quote('选拔日期'), 'date'),
                '选拔日期 is missing or not a date'],
        ]) }}

    from ranked
    where {{ kept_versions() }}

)

select * from renamed

-- 社会组织维度 (SCD2): one row per organization and version of its registry attributes. The
-- registry sends monthly full exports, so versions are derived from them: a new version starts
-- at the first export whose attributes differ from the previous export's (gaps and islands);
-- valid_from is that export's as-of date and valid_to the day before the next version starts.
with

exports as (

    select
        organization_credit_code,
        organization_name,
        organization_type,
        registration_authority_code,
        registration_state,
        is_charity,
        registered_date,
        deregistered_date,
        export_date
    from {{ ref('stg_social_org_registry__organizations') }}

),

lagged as (

    select
        exports.*,
        lag(exports.export_date) over (
            partition by exports.organization_credit_code order by exports.export_date
        ) as previous_export_date,
        lag(exports.organization_name) over (
            partition by exports.organization_credit_code order by exports.export_date
        ) as previous_organization_name,
        lag(exports.organization_type) over (
            partition by exports.organization_credit_code order by exports.export_date
        ) as previous_organization_type,
        lag(exports.registration_authority_code) over (
            partition by exports.organization_credit_code order by exports.export_date
        ) as previous_registration_authority_code,
        lag(exports.registration_state) over (
            partition by exports.organization_credit_code order by exports.export_date
        ) as previous_registration_state,
        lag(exports.is_charity) over (
            partition by exports.organization_credit_code order by exports.export_date
        ) as previous_is_charity
    from exports

),

flagged as (

    select
        lagged.*,
        case
            when lagged.previous_export_date is null then 1
            when coalesce(
                    lagged.previous_organization_name <> lagged.organization_name,
                    not (lagged.previous_organization_name is null and lagged.organization_name is null)
                ) then 1
            when coalesce(
                    lagged.previous_organization_type <> lagged.organization_type,
                    not (lagged.previous_organization_type is null and lagged.organization_type is null)
                ) then 1
            when coalesce(
                    lagged.previous_registration_authority_code <> lagged.registration_authority_code,
                    not (
                        lagged.previous_registration_authority_code is null
                        and lagged.registration_authority_code is null
                    )
                ) then 1
            when coalesce(
                    lagged.previous_registration_state <> lagged.registration_state,
                    not (lagged.previous_registration_state is null and lagged.registration_state is null)
                ) then 1
            when coalesce(
                    lagged.previous_is_charity <> lagged.is_charity,
                    not (lagged.previous_is_charity is null and lagged.is_charity is null)
                ) then 1
            else 0
        end as is_new_version
    from lagged

),

numbered as (

    select
        flagged.*,
        sum(flagged.is_new_version) over (
            partition by flagged.organization_credit_code
            order by flagged.export_date
            rows between unbounded preceding and current row
        ) as version_number
    from flagged

),

versions as (

    select
        organization_credit_code,
        version_number,
        max(organization_name) as organization_name,
        max(organization_type) as organization_type,
        max(registration_authority_code) as registration_authority_code,
        max(registration_state) as registration_state,
        max(case when is_charity then 1 else 0 end) = 1 as is_charity,
        max(registered_date) as registered_date,
        max(deregistered_date) as deregistered_date,
        min(export_date) as valid_from,
        max(export_date) as last_seen_export_date
    from numbered
    group by organization_credit_code, version_number

),

with_next as (

    select
        versions.*,
        lead(versions.valid_from) over (
            partition by versions.organization_credit_code order by versions.valid_from
        ) as next_valid_from
    from versions

),

final as (

    select
        {{ dbt.concat([
            'organization_credit_code', "'-'", dbt.safe_cast('version_number', dbt.type_string()),
        ]) }} as organization_version_key,
        organization_credit_code,
        cast(version_number as integer) as version_number,
        organization_name,
        organization_type,
        registration_authority_code,
        registration_state,
        coalesce(registration_state = '正常', false) as is_active,
        is_charity,
        registered_date,
        deregistered_date,
        valid_from,
        cast({{ dbt.dateadd('day', -1, 'next_valid_from') }} as date) as valid_to,
        last_seen_export_date,
        next_valid_from is null as is_current
    from with_next

)

select * from final

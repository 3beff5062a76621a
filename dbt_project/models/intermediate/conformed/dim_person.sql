-- 人员维度: one row per person key (the HMAC pseudonym of the ID number) named by any source
-- system, with what the ID says (sex, birth month, county of registration mapped to today's
-- district, validity), when and where the person was seen. No name, ID number or phone.
with

records as (

    select
        person_key,
        source_system,
        sex,
        is_sex_from_id,
        birth_month,
        is_birth_month_from_id,
        id_region_code,
        is_id_number_valid,
        seen_date
    from {{ ref('int_person_records_unioned') }}

),

counties as (

    select
        region_code,
        region_name
    from {{ ref('dim_region') }}
    where region_level = 'county'

),

code_changes as (

    select
        retired_code,
        current_code
    from {{ ref('ref_county_code_changes') }}

),

-- The ID-derived value wins; a value the source declares fills in where no record has one.
people as (

    select
        person_key,
        coalesce(
            max(case when is_sex_from_id then sex end),
            max(sex)
        ) as sex,
        coalesce(
            max(case when is_birth_month_from_id then birth_month end),
            max(birth_month)
        ) as birth_month,
        max(id_region_code) as id_region_code,
        max(case when is_id_number_valid then 1 else 0 end) = 1 as is_id_number_valid,
        min(seen_date) as first_seen_date,
        max(seen_date) as last_seen_date,
        cast(count(*) as bigint) as record_count,
        max(case when source_system = 'smart_assistance' then 1 else 0 end) = 1 as is_in_smart_assistance,
        max(case when source_system = 'elderly_care' then 1 else 0 end) = 1 as is_in_elderly_care,
        max(case when source_system = 'civil_registry' then 1 else 0 end) = 1 as is_in_civil_registry,
        max(case when source_system = 'social_org_registry' then 1 else 0 end) = 1 as is_in_social_org_registry
    from records
    group by person_key

),

person_systems as (

    select distinct
        person_key,
        source_system
    from records

),

systems_seen as (

    select
        person_key,
        {{ dbt.listagg('source_system', "','", 'order by source_system') }} as source_systems,
        cast(count(*) as integer) as source_system_count
    from person_systems
    group by person_key

),

final as (

    select
        people.person_key,
        people.sex,
        people.birth_month,
        cast(extract(year from people.birth_month) as integer) as birth_year,
        {{ age_at('people.birth_month', data_as_of()) }} as age_at_data_as_of,
        people.id_region_code,
        coalesce(code_changes.current_code, people.id_region_code) as registration_county_code,
        counties.region_name as registration_county_name,
        counties.region_code is not null as is_registered_in_city,
        people.is_id_number_valid,
        people.first_seen_date,
        people.last_seen_date,
        systems_seen.source_systems,
        systems_seen.source_system_count,
        people.is_in_smart_assistance,
        people.is_in_elderly_care,
        people.is_in_civil_registry,
        people.is_in_social_org_registry,
        people.record_count
    from people
    inner join systems_seen
        on people.person_key = systems_seen.person_key
    left join code_changes
        on people.id_region_code = code_changes.retired_code
    left join counties
        on coalesce(code_changes.current_code, people.id_region_code) = counties.region_code

)

select * from final

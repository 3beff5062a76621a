-- 持证残疾人维度: one row per person holding a disability certificate, with the household category
-- and grade that decide two-subsidy eligibility and the death date from the civil registry.
with

persons as (

    select
        person_key,
        person_id,
        registered_county_code,
        residence_village_code,
        person_sex,
        household_category,
        disability_grade,
        disability_type,
        birth_month,
        disability_cert_date,
        updated_at
    from {{ ref('stg_smart_assistance__persons') }}
    where person_key is not null

),

ranked as (

    select
        persons.*,
        row_number() over (partition by persons.person_key order by persons.updated_at desc, persons.person_id desc)
            as person_rank
    from persons

),

deaths as (

    select
        deceased_person_key,
        min(death_date) as death_date
    from {{ ref('stg_civil_registry__deaths') }}
    where deceased_person_key is not null
    group by deceased_person_key

),

final as (

    select
        ranked.person_key,
        ranked.person_id,
        ranked.registered_county_code,
        ranked.residence_village_code,
        ranked.person_sex,
        ranked.household_category,
        ranked.disability_grade,
        ranked.disability_type,
        ranked.birth_month,
        ranked.disability_cert_date,
        deaths.death_date,
        deaths.death_date is not null as is_deceased,
        coalesce(ranked.household_category in ('低保', '特困', '低收入'), false) as is_in_assisted_household,
        coalesce(ranked.disability_grade in ('一级', '二级'), false) as is_severely_disabled
    from ranked
    left join deaths
        on ranked.person_key = deaths.deceased_person_key
    where ranked.person_rank = 1

)

select * from final

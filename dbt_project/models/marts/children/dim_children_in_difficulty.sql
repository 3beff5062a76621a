-- 孤儿和事实无人抚养儿童维度: one row per child in difficulty, with eligibility and monthly standard.
with

children as (

    select
        child_id,
        child_person_key,
        county_code,
        village_code,
        child_sex,
        child_category,
        care_mode,
        monthly_standard,
        birth_month,
        eligible_from,
        eligible_to
    from {{ ref('stg_smart_assistance__children_in_difficulty') }}

),

final as (

    select * from children

)

select * from final

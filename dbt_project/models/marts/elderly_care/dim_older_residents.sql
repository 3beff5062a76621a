-- 老年人维度: one row per registered older resident, with the month they turn 60 and 80 and their
-- special-difficulty flags. No name, ID, person key or exact birth date (person_key stays in staging).
with

residents as (

    select
        resident_id,
        county_code,
        village_code,
        sex,
        birth_month,
        is_living_alone,
        is_left_behind,
        is_disabled,
        is_low_income
    from {{ ref('stg_elderly_care__older_residents') }}

),

final as (

    select
        resident_id,
        county_code,
        village_code,
        sex,
        birth_month,
        cast({{ dbt.dateadd('year', 60, 'birth_month') }} as date) as month_turning_60,
        cast({{ dbt.dateadd('year', 80, 'birth_month') }} as date) as month_turning_80,
        is_living_alone,
        is_left_behind,
        is_disabled,
        is_low_income
    from residents

)

select * from final

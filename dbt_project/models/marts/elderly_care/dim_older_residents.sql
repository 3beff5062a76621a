-- 老年人维度: one row per registered older resident, with the month they turn 60 and 80 and their
-- special-difficulty flags. No name, ID, person key or exact birth date (person_key stays in staging).
-- Incremental: residents with a version extracted after what the model holds are merged; residents
-- whose latest version is now quarantined are retracted.
{{ config(
    materialized='incremental',
    unique_key='resident_id',
    post_hook=["{{ delete_retracted_rows() }}"],
) }}

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
        is_low_income,
        extracted_at
    from {{ ref('stg_elderly_care__older_residents') }}

),

{% if is_incremental() -%}
    {{ incremental_scope('residents', 'resident_id', 'resident_id') }},
{%- endif %}

rebuilt_residents as (

    select residents.*
    from residents
    {{ in_affected_groups('residents', 'resident_id') }}

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
        is_low_income,
        extracted_at
    from rebuilt_residents

)

select * from final
{{ retracted_rows('final', 'resident_id', 'held_in_affected') }}

-- 特殊困难老年人探访事实: one row per visit that keeps the contract, with the resident's county and
-- the visit month (EC15 counts person-months from it in fct_special_difficulty_visits_monthly).
-- Incremental by resident: a resident's visits are rebuilt when one of them has a newer version or
-- left staging, or the resident's record changed (arrived late, moved county, quarantined).
{{ config(
    materialized='incremental',
    unique_key='visit_id',
    post_hook=["{{ delete_retracted_rows() }}"],
) }}

with

visits as (

    select
        visit_id,
        resident_id,
        visit_method,
        visitor_role,
        visit_date,
        extracted_at
    from {{ ref('stg_elderly_care__care_visits') }}

),

residents as (

    select
        resident_id,
        county_code,
        extracted_at
    from {{ ref('dim_older_residents') }}

),

{% if is_incremental() -%}
    {{ incremental_scope(
        'visits', 'visit_id', 'resident_id',
        lookup='residents', compared=[['county_code', 'county_code']], lookup_required=true,
    ) }},
{%- endif %}

rebuilt_visits as (

    select visits.*
    from visits
    {{ in_affected_groups('visits', 'resident_id') }}

),

final as (

    select
        rebuilt_visits.visit_id,
        rebuilt_visits.resident_id,
        residents.county_code,
        rebuilt_visits.visit_method,
        rebuilt_visits.visitor_role,
        rebuilt_visits.visit_date,
        {{ month_start('rebuilt_visits.visit_date') }} as visit_month,
        rebuilt_visits.extracted_at
    from rebuilt_visits
    inner join residents
        on rebuilt_visits.resident_id = residents.resident_id

)

select * from final
{{ retracted_rows('final', 'visit_id', 'held_in_affected') }}

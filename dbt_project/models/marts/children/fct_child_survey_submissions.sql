-- 留守流动儿童监测摸排报送事实: one row per survey submission (latest version), with its region.
-- Incremental: submissions with a version extracted after what the model holds are merged, those
-- whose latest version is now quarantined are retracted, and those whose village now maps to
-- another town or county (a change of the division seed) are rebuilt.
{{ config(
    materialized='incremental',
    unique_key='submission_id',
    post_hook=["{{ delete_retracted_rows() }}"],
) }}

with

submissions as (

    select
        submission_id,
        village_code,
        survey_month,
        left_behind_children_count,
        migrant_children_count,
        submitted_at,
        updated_at,
        extracted_at
    from {{ ref('stg_smart_assistance__child_survey_submissions') }}

),

villages as (

    select
        region_code as village_code,
        county_code,
        town_code,
        is_real_village
    from {{ ref('dim_region') }}
    where region_level = 'village'

),

{% if is_incremental() -%}
    {{ incremental_scope(
        'submissions', 'submission_id', 'submission_id',
        lookup='villages', lookup_key='village_code',
        compared=[['town_code', 'town_code'], ['county_code', 'county_code']],
    ) }},
{%- endif %}

rebuilt_submissions as (

    select submissions.*
    from submissions
    {{ in_affected_groups('submissions', 'submission_id') }}

),

final as (

    select
        rebuilt_submissions.submission_id,
        rebuilt_submissions.village_code,
        villages.town_code,
        villages.county_code,
        rebuilt_submissions.survey_month,
        rebuilt_submissions.left_behind_children_count,
        rebuilt_submissions.migrant_children_count,
        rebuilt_submissions.submitted_at,
        rebuilt_submissions.updated_at,
        coalesce(villages.is_real_village, false) as is_real_village,
        rebuilt_submissions.extracted_at
    from rebuilt_submissions
    left join villages
        on rebuilt_submissions.village_code = villages.village_code

)

select * from final
{{ retracted_rows('final', 'submission_id', 'held_in_affected') }}

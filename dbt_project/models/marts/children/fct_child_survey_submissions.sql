-- 留守流动儿童监测摸排报送事实: one row per survey submission (latest version), with its region.
with

submissions as (

    select
        submission_id,
        village_code,
        survey_month,
        left_behind_children_count,
        migrant_children_count,
        submitted_at,
        updated_at
    from {{ ref('stg_smart_assistance__child_survey_submissions') }}

),

villages as (

    select
        region_code,
        county_code,
        town_code,
        is_real_village
    from {{ ref('dim_region') }}
    where region_level = 'village'

),

final as (

    select
        submissions.submission_id,
        submissions.village_code,
        villages.town_code,
        villages.county_code,
        submissions.survey_month,
        submissions.left_behind_children_count,
        submissions.migrant_children_count,
        submissions.submitted_at,
        submissions.updated_at,
        coalesce(villages.is_real_village, false) as is_real_village
    from submissions
    left join villages
        on submissions.village_code = villages.region_code

)

select * from final

-- 社会组织月度事实: one row per organization in each month-end registry export, with whether it
-- holds a valid evaluation grade at that month end (from the latest grades export on or before it).
with

organizations as (

    select
        organization_credit_code,
        organization_name,
        organization_type,
        registration_authority_code,
        registration_state,
        is_active,
        is_charity,
        registered_date,
        deregistered_date,
        export_date
    from {{ ref('stg_social_org_registry__organizations') }}

),

grades as (

    select
        organization_credit_code,
        evaluation_grade,
        graded_date,
        grade_valid_until_date,
        export_date
    from {{ ref('stg_social_org_registry__evaluation_grades') }}

),

calendar as (

    select
        period_month,
        period_end
    from {{ ref('dim_calendar') }}
    where is_reported

),

grade_exports as (

    select distinct export_date
    from grades

),

grades_export_per_month as (

    select
        calendar.period_month,
        calendar.period_end,
        max(grade_exports.export_date) as grades_export_date
    from calendar
    inner join grade_exports
        on calendar.period_end >= grade_exports.export_date
    group by calendar.period_month, calendar.period_end

),

ranked_valid_grades as (

    select
        grades_export_per_month.period_month,
        grades_export_per_month.grades_export_date,
        grades.organization_credit_code,
        grades.evaluation_grade,
        grades.graded_date,
        grades.grade_valid_until_date,
        row_number() over (
            partition by grades_export_per_month.period_month, grades.organization_credit_code
            order by grades.graded_date desc
        ) as grade_rank
    from grades_export_per_month
    inner join grades
        on
            grades_export_per_month.grades_export_date = grades.export_date
            and grades_export_per_month.period_end >= grades.graded_date
            and grades_export_per_month.period_end <= grades.grade_valid_until_date

),

valid_grades as (

    select
        period_month,
        grades_export_date,
        organization_credit_code,
        evaluation_grade,
        graded_date,
        grade_valid_until_date
    from ranked_valid_grades
    where grade_rank = 1

),

final as (

    select
        calendar.period_month,
        calendar.period_end,
        organizations.export_date,
        organizations.organization_credit_code,
        organizations.organization_name,
        organizations.organization_type,
        organizations.registration_authority_code as region_code,
        organizations.registration_state,
        organizations.is_active,
        organizations.is_charity,
        organizations.registered_date,
        organizations.deregistered_date,
        valid_grades.evaluation_grade,
        valid_grades.graded_date,
        valid_grades.grade_valid_until_date,
        valid_grades.grades_export_date,
        valid_grades.organization_credit_code is not null as has_valid_grade
    from organizations
    inner join calendar
        on organizations.export_date = calendar.period_end
    left join valid_grades
        on
            calendar.period_month = valid_grades.period_month
            and organizations.organization_credit_code = valid_grades.organization_credit_code

)

select * from final

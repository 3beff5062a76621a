-- 养老机构人员月度事实: one row per head or caregiver and reported month: in post at the month end,
-- holding a valid skill certificate then, trained in rotation this plan year to date.
with

staff as (

    select
        staff_id,
        institution_id,
        role,
        hired_date,
        left_date,
        certified_date,
        certificate_valid_until
    from {{ ref('stg_elderly_care__care_staff') }}

),

institutions as (

    select
        institution_id,
        county_code
    from {{ ref('stg_elderly_care__institutions') }}

),

trainings as (

    select
        staff_id,
        training_date
    from {{ ref('stg_elderly_care__rotation_trainings') }}

),

calendar as (

    select
        period_month,
        period_end,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

trained as (

    select distinct
        trainings.staff_id,
        calendar.period_month
    from trainings
    inner join calendar
        on trainings.training_date between calendar.year_start and calendar.period_end

),

final as (

    select
        staff.staff_id,
        calendar.period_month,
        calendar.period_end,
        staff.institution_id,
        institutions.county_code,
        staff.role,
        {{ is_operating_on('staff.hired_date', 'staff.left_date', 'calendar.period_end') }} as is_in_post,
        coalesce(
            staff.certified_date <= calendar.period_end
            and staff.certificate_valid_until >= calendar.period_end,
            false
        ) as has_valid_certificate,
        trained.staff_id is not null as is_trained_ytd
    from staff
    inner join institutions
        on staff.institution_id = institutions.institution_id
    cross join calendar
    left join trained
        on
            staff.staff_id = trained.staff_id
            and calendar.period_month = trained.period_month

)

select * from final

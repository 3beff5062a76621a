-- 老年人智能技术培训事实: one row per attendance (a person-time), with the resident's county.
with

attendance as (

    select
        attendance_id,
        resident_id,
        course,
        training_date
    from {{ ref('stg_elderly_care__smart_tech_trainings') }}

),

residents as (

    select
        resident_id,
        county_code
    from {{ ref('dim_older_residents') }}

),

final as (

    select
        attendance.attendance_id,
        attendance.resident_id,
        residents.county_code,
        attendance.course,
        attendance.training_date
    from attendance
    inner join residents
        on attendance.resident_id = residents.resident_id

)

select * from final

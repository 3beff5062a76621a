-- 养老机构状态月度事实: one row per institution and reported month: operating at the month end,
-- standardized (区域性养老服务中心), and the grade it holds then (latest valid rating).
with

institutions as (

    select
        institution_id,
        institution_type,
        county_code,
        town_code,
        opened_date,
        closed_date,
        standardized_date
    from {{ ref('stg_elderly_care__institutions') }}

),

ratings as (

    select
        rating_id,
        institution_id,
        grade,
        grade_level,
        rated_date,
        valid_until
    from {{ ref('stg_elderly_care__institution_ratings') }}

),

calendar as (

    select
        period_month,
        period_end
    from {{ ref('dim_calendar') }}
    where is_reported

),

valid_ratings as (

    select
        ratings.institution_id,
        calendar.period_month,
        ratings.grade,
        ratings.grade_level,
        row_number() over (
            partition by ratings.institution_id, calendar.period_month
            order by ratings.rated_date desc, ratings.rating_id desc
        ) as rating_rank
    from ratings
    inner join calendar
        on
            ratings.rated_date <= calendar.period_end
            and ratings.valid_until >= calendar.period_end

),

final as (

    select
        institutions.institution_id,
        calendar.period_month,
        calendar.period_end,
        institutions.institution_type,
        institutions.county_code,
        institutions.town_code,
        {{ is_operating_on('institutions.opened_date', 'institutions.closed_date', 'calendar.period_end') }}
            as is_operating,
        coalesce(institutions.standardized_date <= calendar.period_end, false) as is_standardized,
        valid_ratings.grade,
        valid_ratings.grade_level,
        valid_ratings.grade is not null as has_valid_grade
    from institutions
    cross join calendar
    left join valid_ratings
        on
            institutions.institution_id = valid_ratings.institution_id
            and calendar.period_month = valid_ratings.period_month
            and valid_ratings.rating_rank = 1

)

select * from final

-- 养老机构床位月度事实: one row per institution and reported month, with beds at the month end
-- and at 31 December of the previous year (each from the latest change effective on or before).
with

institutions as (

    select
        institution_id,
        institution_type,
        county_code,
        town_code,
        opened_date,
        closed_date
    from {{ ref('stg_elderly_care__institutions') }}

),

changes as (

    select
        change_id,
        institution_id,
        effective_date,
        total_beds,
        nursing_beds,
        updated_at
    from {{ ref('stg_elderly_care__bed_capacity_changes') }}

),

calendar as (

    select
        period_month,
        period_end,
        previous_year_end
    from {{ ref('dim_calendar') }}
    where is_reported

),

as_of_dates as (

    select
        institutions.institution_id,
        calendar.period_month,
        'period_end' as as_of_kind,
        calendar.period_end as as_of_date
    from institutions
    cross join calendar

    union all

    select
        institutions.institution_id,
        calendar.period_month,
        'previous_year_end' as as_of_kind,
        calendar.previous_year_end as as_of_date
    from institutions
    cross join calendar

),

ranked_capacity as (

    select
        as_of_dates.institution_id,
        as_of_dates.period_month,
        as_of_dates.as_of_kind,
        changes.total_beds,
        changes.nursing_beds,
        row_number() over (
            partition by as_of_dates.institution_id, as_of_dates.period_month, as_of_dates.as_of_kind
            order by changes.effective_date desc, changes.updated_at desc, changes.change_id desc
        ) as change_rank
    from as_of_dates
    left join changes
        on
            as_of_dates.institution_id = changes.institution_id
            and as_of_dates.as_of_date >= changes.effective_date

),

capacity as (

    select
        institution_id,
        period_month,
        max(case when as_of_kind = 'period_end' then total_beds end) as total_beds,
        max(case when as_of_kind = 'period_end' then nursing_beds end) as nursing_beds,
        max(case when as_of_kind = 'previous_year_end' then total_beds end)
            as previous_year_end_total_beds,
        max(case when as_of_kind = 'previous_year_end' then nursing_beds end)
            as previous_year_end_nursing_beds
    from ranked_capacity
    where change_rank = 1
    group by institution_id, period_month

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
        {{ is_operating_on('institutions.opened_date', 'institutions.closed_date', 'calendar.previous_year_end') }}
            as is_operating_at_previous_year_end,
        cast(coalesce(capacity.total_beds, 0) as integer) as total_beds,
        cast(coalesce(capacity.nursing_beds, 0) as integer) as nursing_beds,
        cast(coalesce(capacity.previous_year_end_total_beds, 0) as integer)
            as previous_year_end_total_beds,
        cast(coalesce(capacity.previous_year_end_nursing_beds, 0) as integer)
            as previous_year_end_nursing_beds
    from institutions
    cross join calendar
    left join capacity
        on
            institutions.institution_id = capacity.institution_id
            and calendar.period_month = capacity.period_month

)

select * from final

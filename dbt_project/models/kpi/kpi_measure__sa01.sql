-- SA01 临时救助急难发生地直接实施率: approved 临时救助 cases (approved YTD) whose emergency happened in a
-- Taizhou county other than the household-registration county; share handled by that county.
with

cases as (

    select
        emergency_region_code,
        approved_date,
        is_handled_at_emergency_place
    from {{ ref('fct_assistance_cases') }}
    where
        case_type = '临时救助'
        and is_approved
        and is_emergency_outside_registration
        and emergency_region_code is not null

),

calendar as (

    select
        period_month,
        period_end,
        {{ year_start('period_month') }} as year_start
    from {{ ref('dim_calendar') }}
    where is_reported

),

final as (

    select
        'SA01' as kpi_code,
        calendar.period_month,
        cases.emergency_region_code as region_code,
        cast(sum(case when cases.is_handled_at_emergency_place then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join cases
        on cases.approved_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, cases.emergency_region_code

)

select * from final

-- SA03 社会救助主动发现率: 低保/特困/临时救助 cases applied YTD, by handling county; share found proactively.
with

cases as (

    select
        handling_county_code,
        applied_date,
        is_proactively_discovered
    from {{ ref('fct_assistance_cases') }}
    where
        case_type in ('低保', '特困', '临时救助')
        and handling_county_code is not null

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
        'SA03' as kpi_code,
        calendar.period_month,
        cases.handling_county_code as region_code,
        cast(sum(case when cases.is_proactively_discovered then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from calendar
    inner join cases
        on cases.applied_date between calendar.year_start and calendar.period_end
    group by calendar.period_month, cases.handling_county_code

)

select * from final

-- SS05 滞留人员身份查询率: people in a rescue station at period end (admitted on or before it, not
-- left by it) who have stayed more than 10 days, with the share whose identity is established by
-- then, by station county (city scope).
with

stays as (

    select
        stay_id,
        station_county_code,
        admitted_date,
        identity_established_date,
        left_date
    from {{ ref('fct_rescue_station_stays') }}

),

{{ kpi_calendar() }},

stranded as (

    select
        calendar.period_month,
        stays.station_county_code,
        coalesce(stays.identity_established_date <= calendar.period_end, false) as is_identified
    from calendar
    inner join stays
        on
            {{ is_in_effect_on('stays.admitted_date', 'stays.left_date', 'calendar.period_end') }}
            and {{ dbt.datediff(
                'stays.admitted_date', 'calendar.period_end', 'day'
            ) }} > 10

),

final as (

    select
        'SS05' as kpi_code,
        period_month,
        station_county_code as region_code,
        cast(sum(case when is_identified then 1 else 0 end) as bigint) as numerator,
        cast(count(*) as bigint) as denominator
    from stranded
    group by period_month, station_county_code

)

select * from final

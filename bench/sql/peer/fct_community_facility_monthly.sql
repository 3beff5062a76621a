-- model: marts/elderly_care/fct_community_facility_monthly.sql
-- compiled: d74a2d1872a7
-- Peer query: dbt model fct_community_facility_monthly, compiled, its tables named schema.table;
-- the same text runs on DuckDB and on PostgreSQL (bench/peer.py).
--
-- 社区养老设施月度事实: one row per community facility and reported month: operating at the month
-- end (its latest status event then), opened this plan year, upgraded this plan year.
with

facilities as (

    select
        facility_id,
        facility_type,
        county_code,
        town_code,
        village_code,
        opened_date
    from staging.stg_elderly_care__community_facilities

),

events as (

    select
        event_id,
        facility_id,
        event_type,
        upgrade_level,
        event_date
    from staging.stg_elderly_care__facility_events

),

calendar as (

    select
        period_month,
        period_end,
        cast(date_trunc('year', period_month) as date) as year_start
    from conformed.dim_calendar
    where is_reported

),

status_ranked as (

    select
        events.facility_id,
        calendar.period_month,
        events.event_type,
        row_number() over (
            partition by events.facility_id, calendar.period_month
            order by events.event_date desc, events.event_id desc
        ) as status_rank
    from events
    inner join calendar
        on events.event_date <= calendar.period_end
    where events.event_type in ('开业', '停业', '恢复运营')

),

upgrades as (

    select
        events.facility_id,
        calendar.period_month,
        max(case when events.upgrade_level = '示范性' then 1 else 0 end) as has_demonstration,
        max(case when events.upgrade_level = '标准化' then 1 else 0 end) as has_standard
    from events
    inner join calendar
        on events.event_date between calendar.year_start and calendar.period_end
    where events.event_type = '升级改造'
    group by events.facility_id, calendar.period_month

),

final as (

    select
        facilities.facility_id,
        calendar.period_month,
        calendar.period_end,
        facilities.facility_type,
        facilities.county_code,
        facilities.town_code,
        facilities.village_code,
        coalesce(status_ranked.event_type in ('开业', '恢复运营'), false) as is_operating,
        coalesce(facilities.opened_date between calendar.year_start and calendar.period_end, false)
            as is_opened_ytd,
        coalesce(upgrades.has_demonstration = 1, false) as is_upgraded_demonstration_ytd,
        coalesce(upgrades.has_standard = 1, false) as is_upgraded_standard_ytd
    from facilities
    cross join calendar
    left join status_ranked
        on
            facilities.facility_id = status_ranked.facility_id
            and calendar.period_month = status_ranked.period_month
            and status_ranked.status_rank = 1
    left join upgrades
        on
            facilities.facility_id = upgrades.facility_id
            and calendar.period_month = upgrades.period_month

)

select * from final

-- kpi.kpi_progress of a night with held KPIs (minzheng.publish): the build's rows of every KPI
-- that is current, and for each held KPI (temporary table held_kpis: kpi_code, held_since,
-- held_reason) the rows last published, marked held. A grid row the last publish did not have
-- (a new month) comes from the build, marked held too. {published_columns} and
-- {prior_held_since} read the last published rows' own hold columns when that file has them: an
-- earlier held_since is kept.
select build_rows.*
from build.kpi.kpi_progress as build_rows
where build_rows.kpi_code not in (select held_kpis.kpi_code from held_kpis)

union all by name

select
    {published_columns},
    'held' as figures_status,
    least(coalesce({prior_held_since}, held_kpis.held_since), held_kpis.held_since) as held_since,
    held_kpis.held_reason as held_reason
from published.kpi.kpi_progress as published_rows
inner join held_kpis on published_rows.kpi_code = held_kpis.kpi_code

union all by name

select
    build_rows.* exclude (figures_status, held_since, held_reason),
    'held' as figures_status,
    held_kpis.held_since as held_since,
    held_kpis.held_reason as held_reason
from build.kpi.kpi_progress as build_rows
inner join held_kpis on build_rows.kpi_code = held_kpis.kpi_code
where not exists (
    select 1
    from published.kpi.kpi_progress as published_rows
    where
        published_rows.kpi_code = build_rows.kpi_code
        and published_rows.period_month = build_rows.period_month
        and published_rows.region_code = build_rows.region_code
)

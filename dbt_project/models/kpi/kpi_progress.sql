-- 指标进度: one row per (kpi_code, period_month, region_code) for every KPI a year reports
-- (kpi_plan_by_year: the year's plan, or the next plan's KPIs as its baseline), every reported
-- month, the city and (where the scope includes districts) each district.
-- The city row sums the county-level numerators and denominators (incl. city-registered rows at
-- the city's own code); ratios are never averaged. A ratio with nothing to measure (0 of 0) is
-- 无数据. A district's figure about children resting on fewer than var small_cell_min_children
-- children is withheld (不公开: figure, attainment and status), and so is a second district when one
-- alone would be withheld (the city total minus the others would give it away); city totals stay.
-- Every row carries the same month of the previous year and the change (同比) when both are shown.
with

plan_kpis as (

    select
        plan_year,
        kpi_code,
        action_line,
        kpi_name_zh,
        measure_type,
        comparator,
        scope,
        target_basis,
        target_value
    from {{ ref('kpi_plan_by_year') }}

),

calendar as (

    select
        period_month,
        plan_year,
        is_current_plan_year,
        month_of_year
    from {{ ref('dim_calendar') }}
    where is_reported

),

regions as (

    select
        region_code,
        region_name,
        region_level
    from {{ ref('dim_region') }}
    where region_level in ('city', 'county')

),

city as (

    select
        region_code,
        region_level
    from regions
    where region_level = 'city'

),

-- A district target for each district adds up to the city's: as many as dim_region holds.
districts as (

    select count(*) as district_count
    from regions
    where region_level = 'county'

),

measures as (

    select
        kpi_code,
        period_month,
        region_code,
        numerator,
        denominator
    from {{ ref('kpi_measures') }}

),

child_counts as (

    select
        kpi_code,
        period_month,
        region_code,
        child_count
    from {{ ref('kpi_child_counts') }}

),

county_measures as (

    select
        measures.kpi_code,
        measures.period_month,
        measures.region_code,
        regions.region_level,
        measures.numerator,
        measures.denominator
    from measures
    inner join regions
        on measures.region_code = regions.region_code

),

city_measures as (

    select
        county_measures.kpi_code,
        county_measures.period_month,
        city.region_code,
        city.region_level,
        sum(county_measures.numerator) as numerator,
        sum(county_measures.denominator) as denominator
    from county_measures
    cross join city
    group by county_measures.kpi_code, county_measures.period_month, city.region_code, city.region_level

),

measures_by_region as (

    select * from county_measures
    where region_level = 'county'
    union all
    select * from city_measures

),

grid as (

    select
        plan_kpis.plan_year,
        plan_kpis.kpi_code,
        plan_kpis.action_line,
        plan_kpis.kpi_name_zh,
        plan_kpis.measure_type,
        plan_kpis.comparator,
        plan_kpis.target_basis,
        calendar.period_month,
        calendar.is_current_plan_year,
        calendar.month_of_year,
        regions.region_code,
        regions.region_name,
        regions.region_level,
        case
            when plan_kpis.scope = 'each_district' and regions.region_level = 'city'
                then plan_kpis.target_value * districts.district_count
            else plan_kpis.target_value
        end as target_value
    from plan_kpis
    inner join calendar
        on plan_kpis.plan_year = calendar.plan_year
    inner join regions
        on
            regions.region_level = 'city'
            or plan_kpis.scope like '%district%'
    cross join districts

),

measured as (

    select
        grid.*,
        cast(coalesce(measures_by_region.numerator, 0) as bigint) as numerator,
        cast(
            case
                when grid.measure_type = 'ratio' then coalesce(measures_by_region.denominator, 0)
            end as bigint
        ) as denominator
    from grid
    left join measures_by_region
        on
            grid.kpi_code = measures_by_region.kpi_code
            and grid.period_month = measures_by_region.period_month
            and grid.region_code = measures_by_region.region_code
            and grid.region_level = measures_by_region.region_level

),

valued as (

    select
        measured.*,
        cast(
            case
                when measured.measure_type = 'ratio'
                    then cast(measured.numerator as double) / nullif(cast(measured.denominator as double), 0)
                else cast(measured.numerator as double)
            end as double
        ) as actual_value,
        cast(
            case
                when measured.measure_type = 'cumulative'
                    then measured.target_value * measured.month_of_year / 12.0
                else measured.target_value
            end as double
        ) as expected_progress,
        coalesce(
            measured.comparator = 'monitor' or measured.target_basis = 'monitor' or measured.target_value is null,
            false
        ) as is_monitor
    from measured

),

child_cells as (

    select
        valued.kpi_code,
        valued.period_month,
        valued.region_code,
        coalesce(child_counts.child_count, 0) as child_count,
        coalesce(child_counts.child_count, 0) between 1 and {{ var('small_cell_min_children') - 1 }}
            as is_small
    from valued
    inner join child_counts
        on
            valued.kpi_code = child_counts.kpi_code
            and valued.period_month = child_counts.period_month
            and valued.region_code = child_counts.region_code
    where valued.region_level = 'county'

),

complements as (

    select
        kpi_code,
        period_month,
        region_code,
        child_count,
        is_small,
        sum(case when is_small then 1 else 0 end) over (
            partition by kpi_code, period_month
        ) as small_cells,
        row_number() over (
            partition by kpi_code, period_month, is_small
            order by child_count, region_code
        ) as rank_among_shown
    from child_cells

),

withheld as (

    select
        kpi_code,
        period_month,
        region_code
    from complements
    where
        is_small
        or (small_cells = 1 and not is_small and child_count > 0 and rank_among_shown = 1)

),

protected as (

    select
        valued.*,
        withheld.region_code is not null as is_withheld,
        case when withheld.region_code is null then valued.actual_value end as shown_value
    from valued
    left join withheld
        on
            valued.kpi_code = withheld.kpi_code
            and valued.period_month = withheld.period_month
            and valued.region_code = withheld.region_code

),

-- 同比: the same month of the previous year, as it was shown (a withheld cell stays withheld).
compared as (

    select
        protected.*,
        last_year.shown_value as actual_value_last_year
    from protected
    left join protected as last_year
        on
            protected.kpi_code = last_year.kpi_code
            and protected.region_code = last_year.region_code
            and protected.month_of_year = last_year.month_of_year
            and protected.plan_year - 1 = last_year.plan_year

),

final as (

    select
        kpi_code,
        action_line,
        kpi_name_zh,
        period_month,
        cast(plan_year as integer) as plan_year,
        is_current_plan_year,
        region_code,
        region_name,
        region_level,
        case when not is_withheld then numerator end as numerator,
        case when not is_withheld then denominator end as denominator,
        shown_value as actual_value,
        actual_value_last_year,
        shown_value - actual_value_last_year as year_on_year_change,
        cast(
            (shown_value - actual_value_last_year) / nullif(abs(actual_value_last_year), 0) as double
        ) as year_on_year_change_ratio,
        cast(target_value as double) as target_value,
        comparator,
        target_basis,
        measure_type,
        cast(
            case
                when not is_withheld and not is_monitor and target_value <> 0
                    then actual_value / target_value
            end as double
        ) as attainment_ratio,
        expected_progress,
        case
            when is_withheld then '不公开'
            when measure_type = 'ratio' and denominator = 0 then '无数据'
            when is_monitor then '监测'
            when actual_value is null then '滞后'
            when comparator = '>=' and actual_value >= target_value - 1e-9 then '达标'
            when comparator = '<=' and actual_value <= target_value + 1e-9 then '达标'
            when comparator = '>=' and actual_value >= expected_progress - 1e-9 then '序时达标'
            when comparator = '<=' and actual_value <= expected_progress + 1e-9 then '序时达标'
            else '滞后'
        end as status,
        is_withheld,
        {{ data_as_of() }} as data_as_of,
        -- Publish keeps a KPI's last published figures while a raw batch it depends on is held
        -- (minzheng.holds) and says so here; the build's own figures are always current.
        'current' as figures_status,
        cast(null as timestamp) as held_since,
        cast(null as {{ dbt.type_string() }}) as held_reason
    from compared

)

select * from final

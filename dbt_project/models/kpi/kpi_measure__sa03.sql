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

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SA03', 'cases', 'applied_date', 'handling_county_code',
    counted_when='cases.is_proactively_discovered',
) }}

select * from final

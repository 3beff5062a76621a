-- SS03 96444平台殡葬服务覆盖率: death records registered YTD, by registration county; share via 96444.
with

deaths as (

    select
        registration_county_code,
        registration_date,
        is_via_96444
    from {{ ref('fct_death_registrations') }}
    where registration_county_code is not null

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SS03', 'deaths', 'registration_date', 'registration_county_code',
    counted_when='deaths.is_via_96444',
) }}

select * from final

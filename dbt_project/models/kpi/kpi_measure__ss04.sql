-- SS04 婚姻登记跨省通办办理量: marriage and divorce registrations handled under 跨省通办, registered
-- YTD, by registering county (a YTD count; denominator null).
with

registrations as (

    select
        registration_id,
        registration_county_code,
        registration_date
    from {{ ref('fct_marriage_registrations') }}
    where is_cross_province

),

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SS04', 'registrations', 'registration_date', 'registration_county_code',
) }}

select * from final

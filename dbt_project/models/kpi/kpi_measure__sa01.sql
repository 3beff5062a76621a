-- SA01 临时救助急难发生地直接实施率: approved 临时救助 cases (approved YTD) whose emergency happened in a
-- county of the city other than the household-registration county; share handled by that county.
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

{{ kpi_calendar() }},

{{ kpi_year_to_date(
    'SA01', 'cases', 'approved_date', 'emergency_region_code',
    counted_when='cases.is_handled_at_emergency_place',
) }}

select * from final

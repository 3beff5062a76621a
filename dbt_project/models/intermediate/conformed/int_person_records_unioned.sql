-- 人员记录汇集: one row per staged record that names a person (by person key), from every source
-- system, with what the record says of the person: sex and birth month (derived from the ID number,
-- or as the source declares them where it has no ID-derived value), the ID's address code, whether
-- the ID is valid, and the record's own date (when the person was seen). dim_person aggregates it.
{{ config(materialized='ephemeral') }}

{#- One entry per person a staged model names: its key column, what it says of the person, and
    the record's date. sex_from_id / birth_from_id: whether the value is derived from the ID. -#}
{%- set person_records = [
    {'model': 'stg_smart_assistance__persons', 'system': 'smart_assistance', 'key': 'person_key',
        'sex': 'person_sex', 'sex_from_id': true, 'birth': 'birth_month', 'birth_from_id': true,
        'region': 'id_region_code', 'valid': 'is_id_number_valid',
        'seen': 'coalesce(disability_cert_date, cast(updated_at as date))'},
    {'model': 'stg_smart_assistance__assistance_cases', 'system': 'smart_assistance', 'key': 'applicant_person_key',
        'sex': 'applicant_sex', 'sex_from_id': true, 'birth': 'applicant_birth_month', 'birth_from_id': true,
        'region': 'applicant_id_region_code', 'valid': 'is_applicant_id_number_valid', 'seen': 'applied_date'},
    {'model': 'stg_smart_assistance__subsidy_payments', 'system': 'smart_assistance', 'key': 'recipient_person_key',
        'sex': 'recipient_sex', 'sex_from_id': true, 'birth': 'recipient_birth_month', 'birth_from_id': true,
        'region': 'recipient_id_region_code', 'valid': 'is_recipient_id_number_valid',
        'seen': 'coalesce(paid_date, payment_month)'},
    {'model': 'stg_smart_assistance__monitoring_alerts', 'system': 'smart_assistance', 'key': 'person_key',
        'sex': 'person_sex', 'sex_from_id': true, 'birth': 'birth_month', 'birth_from_id': true,
        'region': 'id_region_code', 'valid': 'is_person_id_number_valid', 'seen': 'raised_date'},
    {'model': 'stg_smart_assistance__project_services', 'system': 'smart_assistance', 'key': 'beneficiary_person_key',
        'sex': 'beneficiary_sex', 'sex_from_id': true, 'birth': 'beneficiary_birth_month', 'birth_from_id': true,
        'region': 'beneficiary_id_region_code', 'valid': 'is_beneficiary_id_number_valid', 'seen': 'service_date'},
    {'model': 'stg_smart_assistance__children_in_difficulty', 'system': 'smart_assistance', 'key': 'child_person_key',
        'sex': 'child_sex', 'sex_from_id': true, 'birth': 'birth_month', 'birth_from_id': true,
        'region': 'id_region_code', 'valid': 'is_id_number_valid',
        'seen': 'coalesce(eligible_from, cast(updated_at as date))'},
    {'model': 'stg_elderly_care__older_residents', 'system': 'elderly_care', 'key': 'person_key',
        'sex': 'sex', 'sex_from_id': false, 'birth': 'birth_month', 'birth_from_id': false,
        'region': 'id_region_code', 'valid': 'is_id_number_valid', 'seen': 'cast(updated_at as date)'},
    {'model': 'stg_elderly_care__care_staff', 'system': 'elderly_care', 'key': 'person_key',
        'sex': 'person_sex', 'sex_from_id': true, 'birth': 'birth_month', 'birth_from_id': true,
        'region': 'id_region_code', 'valid': 'is_id_number_valid', 'seen': 'hired_date'},
    {'model': 'stg_civil_registry__deaths', 'system': 'civil_registry', 'key': 'deceased_person_key',
        'sex': 'deceased_sex', 'sex_from_id': true, 'birth': 'deceased_birth_month', 'birth_from_id': true,
        'region': 'deceased_id_region_code', 'valid': 'is_deceased_id_number_valid', 'seen': 'death_date'},
    {'model': 'stg_civil_registry__marriages', 'system': 'civil_registry', 'key': 'male_person_key',
        'sex': "'男'", 'sex_from_id': false, 'birth': 'male_birth_month', 'birth_from_id': true,
        'region': 'male_id_region_code', 'valid': 'is_male_id_number_valid', 'seen': 'registration_date'},
    {'model': 'stg_civil_registry__marriages', 'system': 'civil_registry', 'key': 'female_person_key',
        'sex': "'女'", 'sex_from_id': false, 'birth': 'female_birth_month', 'birth_from_id': true,
        'region': 'female_id_region_code', 'valid': 'is_female_id_number_valid', 'seen': 'registration_date'},
    {'model': 'stg_civil_registry__rescue_station_stays', 'system': 'civil_registry', 'key': 'person_key',
        'sex': 'person_sex', 'sex_from_id': false, 'birth': 'birth_month', 'birth_from_id': true,
        'region': 'id_region_code', 'valid': 'is_person_id_number_valid', 'seen': 'admitted_date'},
    {'model': 'stg_social_org_registry__social_worker_selections', 'system': 'social_org_registry',
        'key': 'social_worker_person_key',
        'sex': 'social_worker_sex', 'sex_from_id': true, 'birth': 'social_worker_birth_month', 'birth_from_id': true,
        'region': 'social_worker_id_region_code', 'valid': 'is_id_number_valid', 'seen': 'selected_date'},
] -%}

with

unioned as (

    {% for record in person_records -%}
        select
            {{ record.key }} as person_key,
            '{{ record.system }}' as source_system,
            '{{ record.model }}' as source_model,
            cast({{ record.sex }} as {{ dbt.type_string() }}) as sex,
            {{ record.sex_from_id }} as is_sex_from_id,
            {{ record.birth }} as birth_month,
            {{ record.birth_from_id }} as is_birth_month_from_id,
            {{ record.region }} as id_region_code,
            {{ record.valid }} as is_id_number_valid,
            {{ record.seen }} as seen_date
        from {{ ref(record.model) }}
        where {{ record.key }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned

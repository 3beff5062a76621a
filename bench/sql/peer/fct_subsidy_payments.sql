-- model: marts/social_assistance/fct_subsidy_payments.sql
-- compiled: 090361494663
-- Peer query: dbt model fct_subsidy_payments, compiled, its tables named schema.table;
-- the same text runs on DuckDB and on PostgreSQL (bench/peer.py).
--
-- 救助补贴发放事实: one row per payment (person, subsidy, month), with the SA02 precision flags for
-- the two disability subsidies (困难残疾人生活补贴, 重度残疾人护理补贴). No personal data.
-- Incremental by recipient: a recipient's payments are rebuilt when one of them has a newer version
-- or left staging (a correction can move a payment to another recipient, or make another one the
-- repeat), or the recipient's household, grade or death date differs from what the model holds.


with

payments as (

    select
        payment_id,
        recipient_person_key,
        case_id,
        paying_county_code,
        subsidy_type,
        temp_assistance_kind,
        amount,
        payment_month,
        paid_date,
        extracted_at
    from staging.stg_smart_assistance__subsidy_payments

),

persons as (

    select
        person_key,
        household_category,
        disability_grade,
        is_in_assisted_household,
        is_severely_disabled
    from marts.dim_disabled_persons

),

deaths as (

    select
        deceased_person_key,
        min(death_date) as death_date
    from staging.stg_civil_registry__deaths
    where deceased_person_key is not null
    group by deceased_person_key

),

-- What a payment's flags look up about its recipient, one row per person key.
recipients as (

    select
        coalesce(persons.person_key, deaths.deceased_person_key) as recipient_person_key,
        persons.household_category,
        persons.disability_grade,
        persons.is_in_assisted_household,
        persons.is_severely_disabled,
        deaths.death_date
    from persons
    full outer join deaths
        on persons.person_key = deaths.deceased_person_key

),



ordered as (

    select
        payments.*,
        row_number() over (
            partition by payments.recipient_person_key, payments.payment_month, payments.subsidy_type
            order by payments.paid_date, payments.payment_id
        ) as payment_order
    from payments
    

),

flagged as (

    select
        ordered.payment_id,
        ordered.recipient_person_key,
        ordered.case_id,
        ordered.paying_county_code,
        ordered.subsidy_type,
        ordered.temp_assistance_kind,
        ordered.amount,
        ordered.payment_month,
        ordered.paid_date,
        recipients.household_category as recipient_household_category,
        recipients.disability_grade as recipient_disability_grade,
        recipients.death_date as recipient_death_date,
        coalesce(ordered.subsidy_type in ('困难残疾人生活补贴', '重度残疾人护理补贴'), false) as is_two_subsidy,
        coalesce(ordered.payment_month > recipients.death_date, false) as is_paid_after_death,
        ordered.subsidy_type = '重度残疾人护理补贴' and not coalesce(recipients.is_severely_disabled, false)
            as is_care_grade_ineligible,
        ordered.subsidy_type = '困难残疾人生活补贴' and not coalesce(recipients.is_in_assisted_household, false)
            as is_living_household_ineligible,
        ordered.payment_order > 1 as is_duplicate_payment,
        ordered.extracted_at
    from ordered
    left join recipients
        on ordered.recipient_person_key = recipients.recipient_person_key

),

final as (

    select
        flagged.*,
        flagged.is_two_subsidy
        and not (
            flagged.is_paid_after_death
            or flagged.is_care_grade_ineligible
            or flagged.is_living_household_ineligible
            or flagged.is_duplicate_payment
        ) as is_precise
    from flagged

)

select * from final

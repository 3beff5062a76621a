-- 实体核对: the batch reconciliation summed per source entity (what the run summary shows).
with

batches as (

    select
        source_name,
        entity,
        raw_rows,
        staged_rows,
        quarantined_rows,
        superseded_rows,
        redelivered_rows,
        is_reconciled
    from {{ ref('audit_batch_reconciliation') }}

),

final as (

    select
        ----------  ids
        source_name,
        entity,

        ----------  numerics
        count(*) as batches,
        count(case when not is_reconciled then 1 end) as unreconciled_batches,
        cast(sum(raw_rows) as bigint) as raw_rows,
        cast(sum(staged_rows) as bigint) as staged_rows,
        cast(sum(quarantined_rows) as bigint) as quarantined_rows,
        cast(sum(superseded_rows) as bigint) as superseded_rows,
        cast(sum(redelivered_rows) as bigint) as redelivered_rows,

        ----------  booleans
        count(case when not is_reconciled then 1 end) = 0 as is_reconciled
    from batches
    group by source_name, entity

)

select * from final

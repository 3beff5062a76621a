-- 批次核对: where every row of a raw batch went. A batch reconciles when
--   raw rows = staged + quarantined + superseded + redelivered
-- with redelivered = the batch's rows identical to a row landed before them (a re-send: counted,
-- never staged twice) and superseded = the rest of the raw rows the base model did not keep (older
-- versions a later one replaced). A conflicting re-send (same key and version, other content) is
-- quarantined. A row staged and quarantined at once, or dropped by neither, breaks the equation.
with

row_counts as (

    select
        source_name,
        entity,
        batch_id,
        stage_name,
        row_count
    from {{ ref('audit_batch_row_counts') }}

),

per_batch as (

    select
        source_name,
        entity,
        batch_id,
        sum(case when stage_name = 'raw' then row_count else 0 end) as raw_rows,
        sum(case when stage_name = 'redelivered' then row_count else 0 end) as redelivered_rows,
        sum(case when stage_name = 'latest' then row_count else 0 end) as latest_version_rows,
        sum(case when stage_name = 'staged' then row_count else 0 end) as staged_rows,
        sum(case when stage_name = 'quarantined' then row_count else 0 end) as quarantined_rows
    from row_counts
    group by source_name, entity, batch_id

),

final as (

    select
        ----------  ids
        source_name,
        entity,
        batch_id,

        ----------  numerics
        cast(raw_rows as bigint) as raw_rows,
        cast(staged_rows as bigint) as staged_rows,
        cast(quarantined_rows as bigint) as quarantined_rows,
        cast(raw_rows - latest_version_rows - redelivered_rows as bigint) as superseded_rows,
        cast(redelivered_rows as bigint) as redelivered_rows,

        ----------  booleans
        (
            latest_version_rows + redelivered_rows <= raw_rows
            and latest_version_rows = staged_rows + quarantined_rows
        ) as is_reconciled
    from per_batch

)

select * from final

-- The floor: read every column of every raw batch once (no model can do less work).
select
    count(*) as raw_rows,
    sum(hash(batch_row)) as checksum
from read_parquet($batches, union_by_name = true) as batch_row

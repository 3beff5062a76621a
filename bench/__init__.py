"""`make bench`: the pipeline's figures at each scale (bench/run.py)."""

# Every bench build states its figures as of the simulated year's end, so that the compiled SQL
# (and with it the peer queries' fingerprints) does not depend on the day the bench runs.
DATA_AS_OF = "2024-12-31"

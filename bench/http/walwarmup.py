"""Brings a throwaway PostgreSQL's write-ahead log to the state of a server that has been running.

A fresh server has no WAL segments to reuse: each time its log reaches a new 16 MB segment it creates
the file by writing 16 MB of zeros (`wal_init_zero`, on by default) while commits wait for the WAL
lock. On this machine that stalled every commit for 45-85 ms once per segment, every ~10 s at 3,500
check-ins/s, and set the check-in write's p99 (docs/performance.md, "Fresh WAL segments"). A server
that has run a while reuses the segments its checkpoints have released (a rename), so the stall is an
artefact of the throwaway server, not what a deployment sees. This writes about 1 GB of WAL and
checkpoints, which leaves that many segments (bounded by `max_wal_size`) ready to be reused.

Used by bench/http/run and bench/cluster/run, each with its own way to run a statement.
"""

# About 1 GB of WAL: 500,000 rows of 1,900 bytes, logged as they are written, then dropped.
STATEMENTS = (
    "CREATE TABLE bench_wal_warmup AS SELECT repeat('x', 1900) AS pad FROM generate_series(1, 500000)",
    "DROP TABLE bench_wal_warmup",
    "CHECKPOINT",
)


# What the warm-up must leave at least: 512 MB of segments (PostgreSQL keeps up to max_wal_size, 1 GB).
MIN_SEGMENTS = 32


def warm(query):
    """Runs the warm-up with `query(sql)`, which returns the statement's output as text or rows, one
    statement at a time (CHECKPOINT outside any transaction). Returns how many WAL segments are then
    on disk, and fails unless there are at least MIN_SEGMENTS."""
    for statement in STATEMENTS:
        query(statement)
    output = query("SELECT count(*) FROM pg_ls_waldir()")
    segments = int(output if isinstance(output, str) else output[0][0])
    if segments < MIN_SEGMENTS:
        raise SystemExit("warming PostgreSQL's WAL left %d segments, fewer than %d" % (segments, MIN_SEGMENTS))
    return segments

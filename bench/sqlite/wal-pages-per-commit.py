#!/usr/bin/env python3
"""Pages of write-ahead log per single-row commit, for a record table as SqliteRecordStore makes it
(rowid table with a PRIMARY KEY (owner, record_key) index) and the same table WITHOUT ROWID.

  bench/sqlite/wal-pages-per-commit.py [--commits N] [--owners N] [--prefill N]

Python's sqlite3 (standard library), WAL, no automatic checkpoint; each commit is BEGIN IMMEDIATE,
a savepoint, one INSERT of a check-in-sized payload for the next owner in turn, RELEASE, COMMIT, as
the embedded writer does at half of peak. docs/performance.md quotes its figures
("Tried and not kept: WITHOUT ROWID record tables").
"""
import argparse
import json
import os
import sqlite3
import tempfile

PAYLOAD = json.dumps({"text": "wrk check-in run-1-17: slept badly, better after coffee", "mood": 3, "tags": ["bench", "morning"],
                      "createdAt": "2026-12-04T06:00:17.301+00:00", "updatedAt": None, "utcOffsetMinutes": 0})


def pages_per_commit(directory, without_rowid, commits, owners, prefill):
    db = sqlite3.connect(os.path.join(directory, "without-rowid.db" if without_rowid else "rowid.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE records (owner TEXT NOT NULL, record_key TEXT NOT NULL, payload TEXT NOT NULL, updated_at TEXT NOT NULL, "
               "PRIMARY KEY (owner, record_key)) STRICT" + (", WITHOUT ROWID" if without_rowid else ""))
    names = ["%08d-0000-7000-8000-000000000000" % i for i in range(owners)]
    insert = "INSERT INTO records VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ON CONFLICT (owner, record_key) DO NOTHING"
    db.execute("BEGIN")
    for i in range(prefill):
        db.execute(insert, (names[i % owners], "%020d" % i, PAYLOAD))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for i in range(prefill, prefill + commits):
        db.execute("BEGIN IMMEDIATE")
        db.execute("SAVEPOINT write")
        db.execute(insert, (names[i % owners], "%020d" % i, PAYLOAD))
        db.execute("RELEASE write")
        db.execute("COMMIT")
    frames = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
    db.close()
    return frames / commits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--owners", type=int, default=64)
    parser.add_argument("--prefill", type=int, default=100000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wal-pages.") as directory:
        for without_rowid in (False, True):
            print("%-40s %.2f pages per commit" % ("WITHOUT ROWID" if without_rowid else "rowid table + primary-key index (as stored)",
                                                   pages_per_commit(directory, without_rowid, args.commits, args.owners, args.prefill)))


if __name__ == "__main__":
    main()

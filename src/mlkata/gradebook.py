"""The gradebook: one SQLite file (WAL) holding learners, katas, runs, kata results and per-test results.

Each (learner, kata) result is written in a transaction of its own, so a run killed at any moment keeps every
result it finished and none half-written; the cache key (submission, grader, engine, locked environment) lets the
next run reuse them instead of grading again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from mlkata.results import KataResult, TestResult

SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS learners (
    id TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    tag TEXT
);
CREATE TABLE IF NOT EXISTS katas (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    topic TEXT NOT NULL,
    max_score REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    environment TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    learner_id TEXT NOT NULL REFERENCES learners(id),
    kata_id TEXT NOT NULL REFERENCES katas(id),
    cache_key TEXT NOT NULL,
    cached INTEGER NOT NULL DEFAULT 0,
    submission_sha256 TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'timeout', 'rejected')),
    message TEXT NOT NULL,
    duration_s REAL NOT NULL,
    environment TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    UNIQUE (run_id, learner_id, kata_id)
);
CREATE INDEX IF NOT EXISTS results_cache ON results (cache_key);
CREATE TABLE IF NOT EXISTS test_results (
    result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    task TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    duration_s REAL NOT NULL,
    PRIMARY KEY (result_id, name)
);
CREATE VIEW IF NOT EXISTS latest_results AS
    SELECT r.* FROM results r
    WHERE r.id = (SELECT MAX(id) FROM results r2 WHERE r2.learner_id = r.learner_id AND r2.kata_id = r.kata_id);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Gradebook:
    """A gradebook file. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def upsert_learner(self, learner_id: str, folder: str, tag: str | None = None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO learners (id, folder, tag) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET folder = excluded.folder, tag = excluded.tag",
                (learner_id, folder, tag),
            )

    def upsert_kata(self, kata_id: str, title: str, topic: str, max_score: float) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO katas (id, title, topic, max_score) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "title = excluded.title, topic = excluded.topic, max_score = excluded.max_score",
                (kata_id, title, topic, max_score),
            )

    def start_run(self, environment: dict[str, str]) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, environment) VALUES (?, ?)",
                (_now(), json.dumps(environment, sort_keys=True)),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def finish_run(self, run_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (_now(), run_id))

    def cached(self, cache_key: str) -> KataResult | None:
        """The newest result graded under exactly this cache key, if any."""
        row = self.db.execute(
            "SELECT * FROM results WHERE cache_key = ? ORDER BY id DESC LIMIT 1", (cache_key,)
        ).fetchone()
        return None if row is None else self._load(row)

    def record(
        self, run_id: int, learner_id: str, result: KataResult, cache_key: str, *, cached: bool = False
    ) -> None:
        """Store one kata result and its tests atomically (replacing any earlier one of the same run)."""
        with self.transaction() as db:
            db.execute(
                "DELETE FROM results WHERE run_id = ? AND learner_id = ? AND kata_id = ?",
                (run_id, learner_id, result.kata),
            )
            cursor = db.execute(
                "INSERT INTO results (run_id, learner_id, kata_id, cache_key, cached, submission_sha256, score, "
                "max_score, status, message, duration_s, environment, graded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    learner_id,
                    result.kata,
                    cache_key,
                    int(cached),
                    result.submission_sha256,
                    result.score,
                    result.max_score,
                    result.status,
                    result.message,
                    result.duration_s,
                    json.dumps(result.environment, sort_keys=True),
                    _now(),
                ),
            )
            db.executemany(
                "INSERT INTO test_results (result_id, name, task, score, max_score, status, message, duration_s) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(cursor.lastrowid, t.name, t.task, t.score, t.max_score, t.status, t.message, t.duration_s)
                 for t in result.tests],
            )  # fmt: skip

    def _load(self, row: sqlite3.Row) -> KataResult:
        tests = [
            TestResult(name=t["name"], task=t["task"], score=t["score"], max_score=t["max_score"],
                       status=t["status"], message=t["message"], duration_s=t["duration_s"])
            for t in self.db.execute("SELECT * FROM test_results WHERE result_id = ? ORDER BY rowid", (row["id"],))
        ]  # fmt: skip
        return KataResult(
            kata=row["kata_id"], score=row["score"], max_score=row["max_score"], status=row["status"],
            duration_s=row["duration_s"], tests=tests, message=row["message"],
            submission_sha256=row["submission_sha256"], environment=json.loads(row["environment"]),
        )  # fmt: skip

    def latest(self) -> dict[str, dict[str, KataResult]]:
        """learner id -> kata id -> newest result."""
        out: dict[str, dict[str, KataResult]] = {}
        for row in self.db.execute("SELECT * FROM latest_results ORDER BY learner_id, kata_id"):
            out.setdefault(row["learner_id"], {})[row["kata_id"]] = self._load(row)
        return out

    def count(self, table: str) -> int:
        if table not in ("learners", "katas", "runs", "results", "test_results"):
            raise ValueError(table)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

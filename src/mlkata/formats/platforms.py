"""The CI platforms' result formats, each made from the one canonical ``LearnerResult``.

- Classroom 50: ``result.json`` in the ``classroom50/result/v1`` schema (integer points) and a ``release-body.md``.
- The legacy GitHub Classroom reporter: one base64 JSON payload per kata (``version: 1``, integer scores).
- Gradescope: ``results.json`` as its autograder specification describes.

Messages are the teaching messages of the canonical result; they never contain the hidden graders' source.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
from collections.abc import Mapping
from typing import Any

from mlkata.results import KataResult, LearnerResult

CLASSROOM50_SCHEMA = "classroom50/result/v1"


def _int_points(value: float) -> int:
    """Points as the platforms want them: integers (mlkata's per-test points are whole numbers)."""
    return round(value)


def _rows(kata: KataResult) -> list[dict[str, Any]]:
    """One row per hidden test; a kata that never reached its tests (error, timeout, rejected) is one row."""
    if not kata.tests or kata.status == "rejected":
        return [{"name": f"{kata.kata}: {kata.status}", "passed": kata.status == "passed", "score": _int_points(kata.score),
                 "max_score": _int_points(kata.max_score), "message": kata.message, "status": kata.status}]  # fmt: skip
    rows = []
    for test in kata.tests:
        message = test.message
        if test.status != "passed" and kata.message:
            message = f"{message}\n({kata.status}: {kata.message})" if message else kata.message
        rows.append({"name": f"{kata.kata}: {test.name}", "passed": test.status == "passed",
                     "score": _int_points(test.score), "max_score": _int_points(test.max_score),
                     "message": message, "status": test.status})  # fmt: skip
    return rows


def classroom50(result: LearnerResult, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``result.json`` for Classroom 50's custom autograder contract."""
    env = os.environ if env is None else env
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    tests = [
        {"test-name": row["name"], "passed": row["passed"], "score": row["score"], "max-score": row["max_score"],
         "message": row["message"]}
        for kata in result.katas for row in _rows(kata)
    ]  # fmt: skip
    commit = env.get("COMMIT_URL", "")
    return {
        "schema": CLASSROOM50_SCHEMA,
        "classroom": env.get("CLASSROOM", ""),
        "assignment": env.get("ASSIGNMENT", ""),
        "submission": env.get("SUBMISSION_TAG", ""),
        "commit": commit,
        "release": env.get("RELEASE_URL", ""),
        "review": env.get("REVIEW_URL") or commit,
        "datetime": env.get("SUBMISSION_DATETIME", now),
        "graded_at": now,
        "score": sum(t["score"] for t in tests),
        "max-score": sum(t["max-score"] for t in tests),
        "tests": tests,
    }


def release_body(result: LearnerResult) -> str:
    """The Markdown body of the submission's Release: the score table, then what failed and why."""
    score = sum(row["score"] for kata in result.katas for row in _rows(kata))
    max_score = sum(row["max_score"] for kata in result.katas for row in _rows(kata))
    lines = [f"## mlkata: {score} / {max_score}", "", "| kata | score | status |", "| --- | --- | --- |"]
    for kata in result.katas:
        lines.append(
            f"| `{kata.kata}` | {_int_points(kata.score)} / {_int_points(kata.max_score)} | {kata.status} |"
        )
    for kata in result.katas:
        failed = [row for row in _rows(kata) if not row["passed"]]
        if not failed:
            continue
        lines += ["", f"### {kata.kata}: {kata.status}"]
        for row in failed:
            lines += [
                "",
                f"**{row['name']}** (0 / {row['max_score']})",
                "",
                "```",
                row["message"] or "failed",
                "```",
            ]
    return "\n".join(lines) + "\n"


def legacy_classroom(kata: KataResult) -> dict[str, Any]:
    """The legacy GitHub Classroom reporter's payload for one kata (one workflow step)."""
    rows = _rows(kata)
    status = (
        "pass"
        if kata.status == "passed"
        else ("error" if kata.status in ("error", "timeout", "rejected") else "fail")
    )
    return {
        "version": 1,
        "status": status,
        "max_score": _int_points(kata.max_score),
        "tests": [
            {"name": row["name"], "status": "pass" if row["passed"] else ("error" if status == "error" and not kata.tests
                                                                          else "fail"),
             "score": row["score"], "message": row["message"], "line_no": 0, "execution_time": f"{kata.duration_s:.2f}s"}
            for row in rows
        ],
    }  # fmt: skip


def legacy_classroom_base64(kata: KataResult) -> str:
    return base64.b64encode(json.dumps(legacy_classroom(kata)).encode("utf-8")).decode("ascii")


def gradescope(result: LearnerResult) -> dict[str, Any]:
    """``/autograder/results/results.json`` for Gradescope."""
    tests = [
        {"name": row["name"], "score": row["score"], "max_score": row["max_score"],
         "status": "passed" if row["passed"] else "failed", "output": row["message"], "visibility": "visible"}
        for kata in result.katas for row in _rows(kata)
    ]  # fmt: skip
    return {
        "score": sum(t["score"] for t in tests),
        "execution_time": round(sum(k.duration_s for k in result.katas), 2),
        "output": f"mlkata graded {len(result.katas)} katas.",
        "stdout_visibility": "hidden",
        "tests": tests,
    }

"""CSV exports of the gradebook: wide (one row per learner, one column per kata) and long (one row per test)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from mlkata.results import KataResult

Latest = Mapping[str, Mapping[str, KataResult]]


def wide_csv(latest: Latest, kata_ids: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["learner", *kata_ids, "total", "max_total"])
    for learner, katas in sorted(latest.items()):
        scores = [katas[k].score if k in katas else "" for k in kata_ids]
        total = sum(katas[k].score for k in kata_ids if k in katas)
        max_total = sum(katas[k].max_score for k in kata_ids if k in katas)
        writer.writerow(
            [learner, *(f"{s:g}" if s != "" else "" for s in scores), f"{total:g}", f"{max_total:g}"]
        )
    return out.getvalue()


def long_csv(latest: Latest) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["learner", "kata", "kata_status", "test", "task", "score", "max_score", "status", "message"]
    )
    for learner, katas in sorted(latest.items()):
        for kata_id, result in sorted(katas.items()):
            if not result.tests:
                writer.writerow([learner, kata_id, result.status, "", "", "0", f"{result.max_score:g}", result.status,
                                 result.message])  # fmt: skip
            for test in result.tests:
                writer.writerow([learner, kata_id, result.status, test.name, test.task, f"{test.score:g}",
                                 f"{test.max_score:g}", test.status, test.message])  # fmt: skip
    return out.getvalue()

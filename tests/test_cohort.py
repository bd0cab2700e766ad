"""Grading a cohort: gradebook, cache, resume after kill -9, roster and tags, exports and reports."""

from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlkata.catalog import load_catalog
from mlkata.export import long_csv, wide_csv
from mlkata.gradebook import Gradebook
from mlkata.reports.dashboard import render, summarize
from mlkata.reports.feedback import render_markdown
from mlkata.roster import RosterError, load_roster, select

MINIREPO = Path(__file__).parent / "minirepo"
REFERENCE = (MINIREPO / "solutions/math/toy_sum/toy_sum.py").read_text()
SCALE = (MINIREPO / "solutions/math/toy_scale/toy_scale.py").read_text()
SLOW = REFERENCE.replace('    """Sum of xs."""', '    """Sum of xs."""\n    import time\n    time.sleep(0.3)')


def make_cohort(folder: Path, sources: dict[str, str]) -> Path:
    for learner, source in sources.items():
        target = folder / learner / "katas/math/toy_sum/toy_sum.py"
        target.parent.mkdir(parents=True)
        target.write_text(source)
        scale = folder / learner / "katas/math/toy_scale/toy_scale.py"
        scale.parent.mkdir(parents=True)
        scale.write_text(SCALE)
    return folder


def cohort_cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlkata.cli", "--root", str(MINIREPO), "cohort", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        **kwargs,
    )  # type: ignore[call-overload]


def results_rows(book: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(book) as db:
        return db.execute("SELECT learner_id, kata_id, cached FROM results ORDER BY id").fetchall()


def test_cohort_into_gradebook_then_cached_regrade(tmp_path):
    cohort = make_cohort(
        tmp_path / "cohort", {"ann": REFERENCE, "bob": REFERENCE.replace("acc += x", "acc = x")}
    )
    book = tmp_path / "grades.sqlite"
    first = cohort_cli(str(cohort), "--gradebook", str(book), "--report", str(tmp_path / "reports"))
    assert first.returncode == 0, first.stderr
    assert "ann" in first.stdout
    assert [row[2] for row in results_rows(book)] == [0, 0, 0, 0]
    with Gradebook(book) as gradebook:
        latest = gradebook.latest()
        assert latest["ann"]["toy_sum"].score == 6
        assert latest["bob"]["toy_sum"].score == 4
        assert gradebook.count("test_results") == 2 * (5 + 2)
    second = cohort_cli(str(cohort), "--gradebook", str(book))
    assert second.returncode == 0, second.stderr
    assert [row[2] for row in results_rows(book)[4:]] == [1, 1, 1, 1]
    # A changed submission is regraded; nothing else is. (An identical file would be a cache hit: same content.)
    (cohort / "bob/katas/math/toy_sum/toy_sum.py").write_text(REFERENCE + "\n# fixed the running sum\n")
    third = cohort_cli(str(cohort), "--gradebook", str(book))
    assert third.returncode == 0
    fresh = [(learner, kata) for learner, kata, cached in results_rows(book)[8:] if not cached]
    assert fresh == [("bob", "toy_sum")]
    reports = tmp_path / "reports"
    assert {p.name for p in (reports / "feedback").iterdir()} == {"ann.md", "ann.html", "bob.md", "bob.html"}
    assert (reports / "dashboard.html").read_text().count("data:image/png;base64,") == 5


def test_killed_run_resumes_without_losing_or_duplicating(tmp_path):
    learners = {f"l{i:02d}": SLOW for i in range(8)}
    cohort = make_cohort(tmp_path / "cohort", learners)
    book = tmp_path / "grades.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlkata.cli", "--root", str(MINIREPO), "cohort", str(cohort), "--gradebook", str(book),
         "--jobs", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if book.exists() and len(results_rows(book)) >= 3:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(results_rows(book))
    assert 3 <= done_before < 16
    again = cohort_cli(str(cohort), "--gradebook", str(book))
    assert again.returncode == 0, again.stderr
    rows = results_rows(book)[done_before:]
    assert len(rows) == 16
    assert sum(cached for _, _, cached in rows) >= done_before
    with Gradebook(book) as gradebook:
        latest = gradebook.latest()
    assert sorted(latest) == sorted(learners)
    assert all(latest[lr]["toy_sum"].score == 6 for lr in learners)


def test_roster_and_tags(tmp_path):
    (tmp_path / "roster.csv").write_text(
        "id,folder,tag\nann,repos/a,morning\nbob,repos/b,evening\ncid,repos/c,morning\n"
    )
    learners = load_roster(tmp_path / "roster.csv")
    assert [lr.id for lr in learners] == ["ann", "bob", "cid"]
    assert learners[0].folder == (tmp_path / "repos/a").resolve()
    assert [lr.id for lr in select(learners, ["morning"])] == ["ann", "cid"]
    assert select(learners, None) == learners
    (tmp_path / "bad.csv").write_text("name,path\nann,a\n")
    with pytest.raises(RosterError, match="id and folder"):
        load_roster(tmp_path / "bad.csv")
    (tmp_path / "dup.csv").write_text("id,folder\nann,a\nann,b\n")
    with pytest.raises(RosterError, match="twice"):
        load_roster(tmp_path / "dup.csv")


def test_cohort_with_roster_grades_only_the_tag(tmp_path):
    cohort = make_cohort(tmp_path / "repos", {"a": REFERENCE, "b": REFERENCE})
    roster = tmp_path / "roster.csv"
    roster.write_text("id,folder,tag\nann,repos/a,morning\nbob,repos/b,evening\n")
    out = cohort_cli(str(cohort), "--roster", str(roster), "--tag", "evening", "--gradebook", str(tmp_path / "g.sqlite"),
                     "--kata", "toy_sum")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert {row[0] for row in results_rows(tmp_path / "g.sqlite")} == {"bob"}


def test_exports_and_reports_from_results():
    from mlkata.results import KataResult, TestResult

    def result(kata: str, score: float, status: str) -> KataResult:
        tests = [
            TestResult(
                "test_a",
                "t",
                score,
                2.0,
                "passed" if score == 2 else "failed",
                "" if score == 2 else "Called f().",
            )
        ]
        return KataResult(kata, score, 2.0, status, 0.5, tests)  # type: ignore[arg-type]

    latest = {
        "ann": {"toy_sum": result("toy_sum", 2, "passed")},
        "bob": {"toy_sum": result("toy_sum", 0, "failed")},
    }
    wide = list(csv.reader(io.StringIO(wide_csv(latest, ["toy_sum", "toy_scale"]))))
    assert wide[0] == ["learner", "toy_sum", "toy_scale", "total", "max_total"]
    assert wide[2] == ["bob", "0", "", "0", "2"]
    long = list(csv.DictReader(io.StringIO(long_csv(latest))))
    assert [(r["learner"], r["status"], r["message"]) for r in long] == [
        ("ann", "passed", ""),
        ("bob", "failed", "Called f()."),
    ]
    catalog = load_catalog(MINIREPO)
    data = summarize(latest, catalog)
    assert data["pass_rate"]["toy_sum"] == 0.5
    assert data["most_failed"][0]["test"] == "test_a"
    assert "Most-failed tests" in render(latest, catalog)
    markdown = render_markdown("bob", latest["bob"], catalog)
    assert "Called f()." in markdown
    assert "Add things up." in markdown  # the kata's hint

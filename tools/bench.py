"""Grading speed, measured: ``nox -s bench`` (or ``python tools/bench.py``). Writes out/bench.json.

A synthetic cohort (``--learners`` learners; each learner's file for each kata is the reference or one of the
kata's curated mutants, round-robin) is graded and compared with:

- the physical limit: the graders' own time on the same files, in process, divided by the cores;
- the naive way: a fresh ``mlkata grade KATA FILE`` process per learner and kata, on a sample, scaled;
- a regrade of the unchanged cohort (everything cached in the gradebook);
- peak memory of the whole process tree during the cohort run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mlkata.catalog import Kata, find_root, load_catalog
from mlkata.gradebook import Gradebook
from mlkata.grading.engine import grade_cohort
from mlkata.grading.host import GradingPool
from mlkata.grading.job import Job
from mlkata.roster import discover_learners


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


class PeakMemory(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_rss_bytes(os.getpid()))
            time.sleep(0.2)


def build_cohort(root: Path, folder: Path, learners: int, katas: list[Kata]) -> dict[tuple[str, str], Path]:
    files = {}
    for i in range(learners):
        for kata in katas:
            choices = [kata.solution, *kata.mutants]
            source = choices[i % len(choices)]
            target = folder / f"learner{i:03d}" / "katas" / kata.topic / kata.id / f"{kata.id}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
            files[(f"learner{i:03d}", kata.id)] = target
    return files


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--naive-sample", type=int, default=4)
    parser.add_argument("--out", type=Path, default=Path("out/bench.json"))
    parser.add_argument("--kata", action="append", help="only these katas (default: every kata)")
    args = parser.parse_args()
    root = find_root()
    catalog = load_catalog(root)
    katas = [catalog.get(k) for k in args.kata] if args.kata else list(catalog)
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="mlkata-bench-"))
    files = build_cohort(root, work / "cohort", args.learners, katas)
    print(f"cohort: {args.learners} learners x {len(katas)} katas = {len(files)} submissions; {cores} cores")

    # Physical limit: the graders' own time, in process, on every distinct file.
    distinct = {path.read_bytes(): (kata_id, path) for (_, kata_id), path in files.items()}
    with GradingPool(root, jobs=cores, backend="inprocess") as pool:
        own = {
            job.job_id: r.duration_s
            for job, r in pool.grade(
                Job(str(i), kata_id, str(path)) for i, (kata_id, path) in enumerate(distinct.values())
            )
        }
    per_file = {content: own[str(i)] for i, content in enumerate(distinct)}
    grader_time = sum(per_file[path.read_bytes()] for path in files.values())
    physical = grader_time / cores

    # The cohort, sandboxed, into a fresh gradebook.
    monitor = PeakMemory()
    monitor.start()
    book_path = work / "gradebook.sqlite"
    started = time.perf_counter()
    with Gradebook(book_path) as book:
        results = grade_cohort(catalog, discover_learners(work / "cohort"), katas, gradebook=book)
    wall = time.perf_counter() - started
    monitor.running = False
    monitor.join()
    overheads = [
        k.duration_s - per_file[files[(r.learner, k.kata)].read_bytes()] for r in results for k in r.katas
    ]

    # Regrade of the unchanged cohort.
    started = time.perf_counter()
    with Gradebook(book_path) as book:
        grade_cohort(catalog, discover_learners(work / "cohort"), katas, gradebook=book)
    regrade = time.perf_counter() - started

    # The naive way: a fresh process per learner and kata, on a sample, scaled.
    sample = list(files.items())[: args.naive_sample]
    started = time.perf_counter()
    for (_, kata_id), path in sample:
        subprocess.run([sys.executable, "-m", "mlkata.cli", "grade", kata_id, str(path), "--format", "json"],
                       check=True, capture_output=True, cwd=root)  # fmt: skip
    naive = (time.perf_counter() - started) / len(sample) * len(files)

    numbers = {
        "learners": args.learners,
        "katas": len(katas),
        "submissions": len(files),
        "cores": cores,
        "cohort_wall_s": round(wall, 2),
        "physical_limit_s": round(physical, 2),
        "wall_over_physical": round(wall / physical, 2),
        "naive_scaled_s": round(naive, 1),
        "speedup_over_naive": round(naive / wall, 1),
        "regrade_s": round(regrade, 3),
        "regrade_fraction": round(regrade / wall, 4),
        "engine_overhead_median_ms": round(1000 * statistics.median(overheads), 1),
        "peak_memory_mib": round(monitor.peak / 2**20),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(numbers, indent=2) + "\n")
    for key, value in numbers.items():
        print(f"{key:28} {value}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

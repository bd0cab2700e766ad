"""Print the catalog as a Markdown table: points, hidden tests, mutants, and the grader's time on the reference.

python tools/kata_table.py [--backend inprocess|sandbox] [KATA ...]
"""

from __future__ import annotations

import argparse

from mlkata.catalog import find_root, load_catalog
from mlkata.grading.host import GradingPool
from mlkata.grading.job import Job


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("katas", nargs="*")
    parser.add_argument("--backend", choices=("inprocess", "sandbox"), default="sandbox")
    args = parser.parse_args()
    catalog = load_catalog(find_root())
    katas = [catalog.get(k) for k in args.katas] if args.katas else list(catalog)
    with GradingPool(catalog.root, jobs=1, backend=args.backend) as pool:
        results = {job.kata_id: r for job, r in pool.grade(Job(k.id, k.id, str(k.solution)) for k in katas)}
    print("| kata | topic | points | hidden tests | mutants | reference | grader time (s) |")
    print("| --- | --- | ---: | ---: | ---: | --- | ---: |")
    for kata in katas:
        result = results[kata.id]
        print(f"| `{kata.id}` | {kata.topic} | {kata.points:g} | {len(result.tests)} | {len(kata.mutants)} | "
              f"{result.score:g}/{result.max_score:g} {result.status} | {result.duration_s:.2f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

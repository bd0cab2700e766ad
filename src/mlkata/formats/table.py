"""Human-readable tables of results (rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlkata.results import KataResult, LearnerResult

STYLE = {"passed": "green", "failed": "yellow", "error": "red", "timeout": "magenta", "rejected": "bold red"}


def _score(result: KataResult) -> Text:
    return Text(f"{result.score:g}/{result.max_score:g} {result.status}", style=STYLE.get(result.status, ""))


def kata_table(result: KataResult, console: Console) -> None:
    """One kata: its verdict, then each test."""
    console.print(Text.assemble(f"{result.kata}: ", _score(result), f"  ({result.duration_s:.2f} s)"))
    if result.message:
        console.print(Text(result.message, style=STYLE.get(result.status, "")))
    if not result.tests:
        return
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("test")
    table.add_column("task")
    table.add_column("points", justify="right")
    table.add_column("message", overflow="fold", max_width=90)
    for test in result.tests:
        style = "green" if test.status == "passed" else "yellow"
        table.add_row(
            Text(test.name, style=style), test.task, f"{test.score:g}/{test.max_score:g}", test.message
        )
    console.print(table)


def learner_table(result: LearnerResult, console: Console) -> None:
    table = Table(
        title=f"{result.learner}: {result.score:g}/{result.max_score:g}",
        show_header=True,
        header_style="bold",
    )
    table.add_column("kata")
    table.add_column("score", justify="right")
    table.add_column("status")
    table.add_column("seconds", justify="right")
    table.add_column("note", overflow="fold", max_width=80)
    for kata in result.katas:
        failed = [t.name for t in kata.tests if t.status != "passed"]
        note = (
            kata.message.splitlines()[0]
            if kata.message
            else (f"failed: {', '.join(failed[:4])}" if failed else "")
        )
        table.add_row(
            kata.kata,
            f"{kata.score:g}/{kata.max_score:g}",
            Text(kata.status, style=STYLE[kata.status]),
            f"{kata.duration_s:.2f}",
            note,
        )
    console.print(table)


def cohort_table(results: Sequence[LearnerResult], console: Console) -> None:
    """Learners as rows, katas as columns."""
    if not results:
        console.print("no learners")
        return
    kata_ids = [k.kata for k in results[0].katas]
    table = Table(title="cohort results", show_header=True, header_style="bold")
    table.add_column("learner")
    for kata_id in kata_ids:
        table.add_column(kata_id, justify="right")
    table.add_column("total", justify="right")
    for learner in results:
        by_kata = {k.kata: k for k in learner.katas}
        cells = [_score(by_kata[k]) for k in kata_ids]
        pct = 100 * learner.score / learner.max_score if learner.max_score else 0.0
        table.add_row(learner.learner, *cells, f"{learner.score:g}/{learner.max_score:g} ({pct:.0f}%)")
    console.print(table)

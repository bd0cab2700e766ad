"""The learner's ``mlkata``: status, check, hint and watch, over the visible tests of a learner repository."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table

from mlkata.catalog import Catalog, CatalogError, Kata, find_root, load_catalog

STATE_FILE = Path(".mlkata") / "hints.json"


class _Outcomes:
    """A pytest plugin that counts passed and failed visible tests per kata folder."""

    def __init__(self, catalog: Catalog) -> None:
        self.by_dir = {kata.kata_dir.resolve(): kata.id for kata in catalog}
        self.counts: dict[str, list[int]] = {kata.id: [0, 0] for kata in catalog}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and not (report.when == "setup" and report.failed):
            return
        path = Path(str(report.fspath)).resolve().parent
        kata_id = self.by_dir.get(path)
        if kata_id is not None:
            self.counts[kata_id][0 if report.passed else 1] += 1


def visible_results(catalog: Catalog) -> dict[str, tuple[int, int]]:
    """(passed, failed) visible tests per kata, from one quiet pytest run over every kata folder."""
    plugin = _Outcomes(catalog)
    folders = [str(k.kata_dir) for k in catalog]
    pytest.main([*folders, "-p", "no:cacheprovider", "--import-mode=prepend", "-o", "addopts=", "-p", "no:terminal"],
                plugins=[plugin])  # fmt: skip
    return {kata_id: (passed, failed) for kata_id, (passed, failed) in plugin.counts.items()}


def _state(passed: int, failed: int) -> str:
    if failed == 0 and passed:
        return "solved"
    return "in progress" if passed else "not started"


def cmd_status(catalog: Catalog, console: Console) -> int:
    results = visible_results(catalog)
    table = Table(title="your track", header_style="bold")
    for column in ("#", "kata", "state", "visible tests", "points"):
        table.add_column(column)
    earned = 0.0
    total = 0.0
    for i, kata in enumerate(catalog, 1):
        passed, failed = results[kata.id]
        state = _state(passed, failed)
        fraction = passed / (passed + failed) if passed + failed else 0.0
        earned += kata.points * fraction
        total += kata.points
        style = {"solved": "green", "in progress": "yellow"}.get(state, "dim")
        table.add_row(str(i), kata.id, f"[{style}]{state}[/]", f"{passed}/{passed + failed}",
                      f"{kata.points * fraction:g}/{kata.points:g}")  # fmt: skip
    console.print(table)
    console.print(ProgressBar(total=total or 1, completed=earned, width=60))
    console.print(f"{earned:g} of {total:g} points from the visible tests (the hidden graders check more)")
    return 0


def _check_args(kata: Kata) -> list[str]:
    return [str(kata.kata_dir), "-p", "no:cacheprovider", "--import-mode=prepend", "-o", "addopts=", "--no-header",
            "-q", "--tb=short", "-rN"]  # fmt: skip


def cmd_check(kata: Kata) -> int:
    """Run one kata's visible tests with readable output, in this process; the exit status is pytest's."""
    return int(pytest.main(_check_args(kata)))


def _check_fresh(kata: Kata) -> int:
    """The same in a new interpreter, so that a file saved since the last run is imported anew (watch)."""
    return subprocess.run([sys.executable, "-m", "pytest", *_check_args(kata)], check=False).returncode


def _hint_state(root: Path) -> dict[str, int]:
    path = root / STATE_FILE
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: int(v) for k, v in data.items()} if isinstance(data, dict) else {}


def cmd_hint(kata: Kata, root: Path, console: Console) -> int:
    state = _hint_state(root)
    level = min(state.get(kata.id, 0) + 1, len(kata.hints))
    state[kata.id] = level
    (root / STATE_FILE).parent.mkdir(exist_ok=True)
    (root / STATE_FILE).write_text(json.dumps(state, indent=2))
    hint = kata.hints[level - 1]
    console.print(f"[bold]{kata.id}[/], hint {level} of {len(kata.hints)}:")
    console.print(" ".join(hint.text.split()), markup=False)
    if level == len(kata.hints):
        console.print("[dim](that was the last hint)[/]")
    return 0


def cmd_watch(
    catalog: Catalog,
    kata_id: str | None,
    console: Console,
    *,
    interval: float = 0.5,
    rounds: int | None = None,
) -> int:
    """Rerun the visible tests of the kata whose file was saved last (or of ``kata_id``), until interrupted."""
    watched = [catalog.get(kata_id)] if kata_id else list(catalog)
    seen = {k.id: k.stub.stat().st_mtime_ns for k in watched}
    console.print(f"watching {len(watched)} kata file(s); save one to run its tests (Ctrl-C to stop)")
    done = 0
    try:
        while rounds is None or done < rounds:
            for kata in watched:
                mtime = kata.stub.stat().st_mtime_ns
                if mtime != seen[kata.id]:
                    seen[kata.id] = mtime
                    console.rule(f"{kata.id}")
                    code = _check_fresh(kata)
                    console.print("[green]all visible tests pass[/]" if code == 0 else "[yellow]not yet[/]")
                    done += 1
            time.sleep(interval)
    except KeyboardInterrupt:
        pass
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlkata", description="Your katas: status, checks, hints.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="the track, each kata's state and visible-test points")
    p = sub.add_parser("check", help="run one kata's visible tests")
    p.add_argument("kata_id", metavar="KATA_ID")
    p = sub.add_parser("hint", help="show the next hint for a kata")
    p.add_argument("kata_id", metavar="KATA_ID")
    p = sub.add_parser("watch", help="rerun a kata's visible tests on each save")
    p.add_argument("kata_id", nargs="?", metavar="KATA_ID")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    try:
        root = find_root()
        catalog = load_catalog(root)
        kata = catalog.get(args.kata_id) if getattr(args, "kata_id", None) else None
    except (CatalogError, FileNotFoundError) as exc:
        print(f"mlkata: error: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"mlkata: error: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.command == "status":
        return cmd_status(catalog, console)
    if args.command == "check":
        assert kata is not None
        return cmd_check(kata)
    if args.command == "hint":
        assert kata is not None
        return cmd_hint(kata, root, console)
    return cmd_watch(catalog, args.kata_id, console)


if __name__ == "__main__":
    raise SystemExit(main())

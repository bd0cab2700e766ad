"""The ``mlkata`` command line.

Exit status: 0 when grading completed, whatever the score; 2 for usage errors (unknown kata, missing file);
1 for ``verify`` when a kata's grader fails its own checks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from mlkata.catalog import Catalog, CatalogError, Kata, find_root, load_catalog
from mlkata.formats.table import cohort_table, kata_table, learner_table
from mlkata.gradebook import Gradebook
from mlkata.grading.engine import LearnerDir, grade_cohort
from mlkata.grading.host import CONFINEMENT, GradingPool
from mlkata.grading.job import Job
from mlkata.results import KataResult, LearnerResult
from mlkata.roster import RosterError, discover_learners, load_roster, select

USAGE_ERROR = 2
LEARNER_FORMATS = ("table", "json", "junit", "classroom", "classroom50", "gradescope")


class UsageError(Exception):
    pass


def _catalog(args: argparse.Namespace) -> Catalog:
    root = Path(args.root).resolve() if args.root else find_root()
    return load_catalog(root)


def _katas(catalog: Catalog, ids: Sequence[str] | None) -> list[Kata]:
    if not ids:
        return list(catalog)
    try:
        return [catalog.get(kata_id) for kata_id in ids]
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def cmd_list(args: argparse.Namespace, console: Console) -> int:
    catalog = _catalog(args)
    if args.format == "json":
        rows = [{"id": k.id, "title": k.title, "topic": k.topic, "difficulty": k.difficulty, "points": k.points}
                for k in catalog]  # fmt: skip
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table

    table = Table(title=f"{len(catalog)} katas", header_style="bold")
    for column in ("#", "id", "topic", "difficulty", "points", "title"):
        table.add_column(column)
    for i, kata in enumerate(catalog, 1):
        table.add_row(str(i), kata.id, kata.topic, "*" * kata.difficulty, f"{kata.points:g}", kata.title)
    console.print(table)
    return 0


def _emit_learner(result: LearnerResult, fmt: str, out: str | None, console: Console) -> None:
    from mlkata.formats import platforms

    if fmt == "table":
        learner_table(result, console)
        return
    if fmt == "json":
        text = json.dumps(result.to_dict(), indent=2)
    elif fmt == "junit":
        text = _junit(result)
    elif fmt == "classroom50":
        text = json.dumps(platforms.classroom50(result), indent=2)
        body = Path(out).with_name("release-body.md") if out else Path("release-body.md")
        body.parent.mkdir(parents=True, exist_ok=True)
        body.write_text(platforms.release_body(result), encoding="utf-8")
    elif fmt == "gradescope":
        text = json.dumps(platforms.gradescope(result), indent=2)
    else:  # the legacy GitHub Classroom reporter: one base64 payload per kata
        payloads = [platforms.legacy_classroom_base64(kata) for kata in result.katas]
        text = (
            payloads[0]
            if len(payloads) == 1
            else "\n".join(f"{k.kata} {p}" for k, p in zip(result.katas, payloads, strict=True))
        )
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


def _junit(result: LearnerResult) -> str:
    from mlkata.formats.junit import to_junit

    return to_junit(result)


def cmd_grade(args: argparse.Namespace, console: Console) -> int:
    catalog = _catalog(args)
    if args.learner:
        folder = Path(args.learner)
        if not folder.is_dir():
            raise UsageError(f"no such learner folder: {folder}")
        if args.kata_id or args.file:
            raise UsageError("give either KATA_ID FILE or --learner DIR, not both")
        katas = _katas(catalog, args.kata)
        learner = LearnerDir(id=folder.resolve().name, folder=folder.resolve())
        (learner_result,) = grade_cohort(
            catalog, [learner], katas, jobs=args.jobs, backend=args.backend, confinement=args.confinement
        )
        _emit_learner(learner_result, args.format, args.out, console)
        if args.report:
            from mlkata.takehome import write_report

            paths = write_report(learner_result, Path(args.report))
            console.print(f"candidate report: {', '.join(str(p) for p in paths)}")
        return 0
    if not args.kata_id or not args.file:
        raise UsageError("give KATA_ID FILE, or --learner DIR")
    if args.format not in ("table", "json"):
        raise UsageError(f"--format {args.format} needs --learner DIR")
    kata = _katas(catalog, [args.kata_id])[0]
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    with GradingPool(catalog.root, jobs=1, backend=args.backend, confinement=args.confinement) as pool:
        ((_, result),) = list(pool.grade([Job(job_id="0", kata_id=kata.id, submission=str(path.resolve()))]))
    if args.format == "json":
        text = json.dumps(result.to_dict(), indent=2)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
    else:
        kata_table(result, console)
    return 0


def cmd_cohort(args: argparse.Namespace, console: Console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    catalog = _catalog(args)
    cohort = Path(args.dir)
    if not cohort.is_dir():
        raise UsageError(f"no such cohort folder: {cohort}")
    try:
        learners = load_roster(Path(args.roster)) if args.roster else discover_learners(cohort.resolve())
    except (OSError, RosterError) as exc:
        raise UsageError(str(exc)) from None
    learners = select(learners, args.tag)
    if not learners:
        raise UsageError("no learners to grade (check the folder, the roster and the tags)")
    katas = _katas(catalog, args.kata)
    columns = (TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn(), TextColumn("{task.description}"))  # fmt: skip
    with (
        Progress(*columns, console=console, transient=False) as progress,
        Gradebook(Path(args.gradebook)) as book,
    ):
        task = progress.add_task("", total=len(learners) * len(katas))

        def advance(learner: str, result: KataResult, cached: bool) -> None:
            note = " (cached)" if cached else ""
            progress.update(task, advance=1, description=f"{learner} {result.kata}: {result.status}{note}")

        results = grade_cohort(catalog, learners, katas, gradebook=book, jobs=args.jobs, backend=args.backend,
                               confinement=args.confinement, progress=advance)  # fmt: skip
        latest = book.latest()
    cohort_table(results, console)
    console.print(f"gradebook: {args.gradebook}")
    if args.report:
        _write_reports(Path(args.report), latest, catalog, console)
    return 0


def _write_reports(
    out: Path, latest: dict[str, dict[str, KataResult]], catalog: Catalog, console: Console
) -> None:
    from mlkata.export import long_csv, wide_csv
    from mlkata.reports.dashboard import write_dashboard
    from mlkata.reports.feedback import write_feedback

    out.mkdir(parents=True, exist_ok=True)
    write_feedback(out / "feedback", latest, catalog)
    write_dashboard(out / "dashboard.html", latest, catalog)
    (out / "scores.csv").write_text(wide_csv(latest, catalog.ids), encoding="utf-8")
    (out / "tests.csv").write_text(long_csv(latest), encoding="utf-8")
    console.print(f"reports: {out}/dashboard.html, {out}/feedback/, {out}/scores.csv, {out}/tests.csv")


def cmd_report(args: argparse.Namespace, console: Console) -> int:
    catalog = _catalog(args)
    if not Path(args.gradebook).is_file():
        raise UsageError(f"no such gradebook: {args.gradebook}")
    with Gradebook(Path(args.gradebook)) as book:
        latest = book.latest()
    _write_reports(Path(args.out), latest, catalog, console)
    return 0


def cmd_export(args: argparse.Namespace, console: Console) -> int:
    from mlkata.export import long_csv, wide_csv

    catalog = _catalog(args)
    if not Path(args.gradebook).is_file():
        raise UsageError(f"no such gradebook: {args.gradebook}")
    with Gradebook(Path(args.gradebook)) as book:
        latest = book.latest()
    text = wide_csv(latest, catalog.ids) if args.form == "wide" else long_csv(latest)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_verify(args: argparse.Namespace, console: Console) -> int:
    """Check graders: the reference scores full marks, the stub 0, every mutant loses points."""
    catalog = _catalog(args)
    katas = _katas(catalog, args.kata_ids)
    jobs = []
    for kata in katas:
        jobs.append(Job(f"{kata.id}\0reference", kata.id, str(kata.solution)))
        jobs.append(Job(f"{kata.id}\0stub", kata.id, str(kata.stub)))
        jobs.extend(Job(f"{kata.id}\0mutant {m.stem}", kata.id, str(m)) for m in kata.mutants)
    problems = []
    with GradingPool(catalog.root, jobs=args.jobs, backend=args.backend) as pool:
        for job, result in pool.grade(jobs):
            what = job.job_id.split("\0")[1]
            ok = {
                "reference": result.status == "passed" and result.score == result.max_score,
                "stub": result.score == 0,
            }.get(what, result.score < result.max_score)
            mark = "ok " if ok else "BAD"
            console.print(f"{mark} {job.kata_id:32} {what:40} {result.score:g}/{result.max_score:g} {result.status} "
                          f"({result.duration_s:.2f} s)", highlight=False)  # fmt: skip
            if not ok:
                problems.append(job.job_id)
                for test in result.tests:
                    if test.status != "passed" and what == "reference":
                        console.print(f"    {test.name}: {test.message}", highlight=False)
                if result.message:
                    console.print(f"    {result.message}", highlight=False)
    return 1 if problems else 0


def _confinement_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confinement",
        choices=CONFINEMENT,
        default=None,
        help="auto: bubblewrap where it works, else resource limits with a warning; require: refuse to grade "
        "without bubblewrap; off: resource limits only (default: $MLKATA_CONFINEMENT or auto)",
    )


def cmd_release(args: argparse.Namespace, console: Console) -> int:
    from mlkata.release import build_release

    catalog = _catalog(args)
    ids = args.kata or None
    try:
        katas = build_release(catalog, Path(args.out), ids, title=args.title)
    except FileExistsError as exc:
        raise UsageError(str(exc)) from None
    console.print(f"learner release with {len(katas)} katas written to {args.out} (leak audit passed)")
    return 0


def cmd_platform(args: argparse.Namespace, console: Console) -> int:
    from mlkata import platform_bundles

    catalog = _catalog(args)
    katas = _katas(catalog, args.kata)
    out = Path(args.out)
    if args.command == "classroom50":
        if (out / "autograders" / args.assignment).exists():
            raise UsageError(f"{out / 'autograders' / args.assignment} exists already")
        folder = platform_bundles.classroom50_assignment(catalog, out, katas, args.assignment)
        console.print(
            f"Classroom 50 assignment bundle: {folder} (runtime block: {out / (args.assignment + '.runtime.json')})"
        )
    elif args.command == "workflow":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(platform_bundles.legacy_workflow(katas, args.graders_repository), encoding="utf-8")
        console.print(f"legacy Classroom workflow: {out}")
    else:
        platform_bundles.gradescope_zip(catalog, out, katas)
        console.print(f"Gradescope autograder: {out}")
    return 0


def cmd_learner(args: argparse.Namespace, console: Console) -> int:
    from mlkata import learner_cli

    argv = [args.command] + ([args.kata_id] if getattr(args, "kata_id", None) else [])
    return learner_cli.main(argv)


def cmd_takehome(args: argparse.Namespace, console: Console) -> int:
    from mlkata.takehome import build_takehome

    catalog = _catalog(args)
    ids = [k.id for k in _katas(catalog, args.kata or [])]
    try:
        out = build_takehome(catalog, ids, args.hours, Path(args.out), title=args.title)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    console.print(f"take-home bundle with {len(ids)} katas: {out} (leak audit passed)")
    return 0


def _platform_parsers(sub: Any) -> None:
    p = sub.add_parser("takehome", help="build an interview take-home bundle (zip) from chosen katas")
    p.add_argument("--kata", action="append", metavar="ID", required=True)
    p.add_argument("--hours", type=float, required=True)
    p.add_argument("--out", required=True, metavar="BUNDLE.zip")
    p.add_argument("--title", default="machine-learning engineering")
    p.set_defaults(func=cmd_takehome)
    p = sub.add_parser("classroom50", help="write a Classroom 50 assignment's autograder bundle")
    p.add_argument("out", metavar="OUT", help="the classroom folder of your classroom50 repository")
    p.add_argument("--assignment", required=True, metavar="SLUG")
    p.add_argument("--kata", action="append", metavar="ID")
    p.set_defaults(func=cmd_platform)
    p = sub.add_parser("workflow", help="write the GitHub Actions workflow for the legacy Classroom reporter")
    p.add_argument("out", metavar="OUT.yml")
    p.add_argument(
        "--graders-repository", required=True, metavar="OWNER/REPO", help="private repository of graders"
    )
    p.add_argument("--kata", action="append", metavar="ID")
    p.set_defaults(func=cmd_platform)
    p = sub.add_parser("gradescope", help="build a Gradescope autograder zip")
    p.add_argument("out", metavar="OUT.zip")
    p.add_argument("--kata", action="append", metavar="ID")
    p.set_defaults(func=cmd_platform)


def _learner_parsers(sub: Any) -> None:
    learner_commands = (
        ("status", "the track with each kata's visible-test state"),
        ("check", "run one kata's visible tests"),
        ("hint", "the next hint for a kata"),
        ("watch", "rerun visible tests on each save"),
    )
    for name, text in learner_commands:
        p = sub.add_parser(name, help=f"(learner) {text}")
        p.add_argument("kata_id", nargs="?" if name in ("status", "watch") else None, metavar="KATA_ID")
        p.set_defaults(func=cmd_learner)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlkata", description="Auto-graded coding katas for ML engineers.")
    parser.add_argument("--root", help="the mlkata repository (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list the katas in track order")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("grade", help="grade one file against one kata, or a learner's folder")
    p.add_argument("kata_id", nargs="?", metavar="KATA_ID")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--learner", metavar="DIR", help="grade every kata found in a learner's folder")
    p.add_argument("--kata", action="append", metavar="ID", help="with --learner: only these katas")
    p.add_argument("--format", choices=LEARNER_FORMATS, default="table")
    p.add_argument("--out", metavar="PATH", help="write the result there instead of stdout")
    p.add_argument(
        "--report", metavar="DIR", help="with --learner: also write a candidate report (Markdown, HTML)"
    )
    p.add_argument("--jobs", type=int, default=None, help="parallel grading jobs (default: one per core)")
    p.add_argument("--backend", choices=("sandbox", "inprocess"), default="sandbox", help=argparse.SUPPRESS)
    _confinement_option(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("cohort", help="grade every learner folder under DIR into the gradebook")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--gradebook", default="gradebook.sqlite", metavar="PATH")
    p.add_argument(
        "--roster", metavar="CSV", help="learners as id,folder[,tag] rows (default: every folder in DIR)"
    )
    p.add_argument(
        "--tag", action="append", metavar="TAG", help="grade only the learners with this roster tag"
    )
    p.add_argument(
        "--report", metavar="DIR", help="also write feedback pages, the dashboard and CSV exports there"
    )
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--kata", action="append", metavar="ID")
    p.add_argument("--backend", choices=("sandbox", "inprocess"), default="sandbox", help=argparse.SUPPRESS)
    _confinement_option(p)
    p.set_defaults(func=cmd_cohort)

    p = sub.add_parser(
        "report", help="write feedback pages, the cohort dashboard and CSV exports from a gradebook"
    )
    p.add_argument("--gradebook", default="gradebook.sqlite", metavar="PATH")
    p.add_argument("--out", default="out/reports", metavar="DIR")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="export a gradebook as CSV")
    p.add_argument("--gradebook", default="gradebook.sqlite", metavar="PATH")
    p.add_argument(
        "--form",
        choices=("wide", "long"),
        default="wide",
        help="wide: learner x kata; long: one row per test",
    )
    p.add_argument("--out", metavar="PATH")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "release", help="build the learner repository (stubs, READMEs, visible tests) and audit it"
    )
    p.add_argument("out", metavar="OUT")
    p.add_argument(
        "--kata", action="append", metavar="ID", help="only these katas (default: the whole track)"
    )
    p.add_argument("--title", default="mlkata katas")
    p.set_defaults(func=cmd_release)

    _learner_parsers(sub)
    _platform_parsers(sub)

    p = sub.add_parser(
        "verify", help="check graders: reference full marks, stub 0, every mutant loses points"
    )
    p.add_argument("kata_ids", nargs="*", metavar="KATA_ID")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--backend", choices=("sandbox", "inprocess"), default="inprocess")
    p.set_defaults(func=cmd_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console()
    try:
        code: int = args.func(args, console)
    except (UsageError, CatalogError, FileNotFoundError) as exc:
        print(f"mlkata: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except RuntimeError as exc:
        # The grading host could not start (confinement required but unavailable), or a release or take-home
        # failed its leak audit (LeakError).
        print(f"mlkata: error: {exc}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())

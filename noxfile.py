"""Sessions for contributors and graders. ``nox -l`` lists them; ``nox`` alone runs lint, typecheck and tests.

Every session installs mlkata against ``constraints/grading.txt``, the pinned grading environment (torch 2.13.0 from
the local CPU wheel), and grading sessions reuse their environment from run to run: one environment grades every
learner.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
# pip (unlike uv) compiles bytecode at install time, which matters here: PYTHONDONTWRITEBYTECODE is set on these
# machines, and an environment without compiled bytecode re-compiles NumPy and friends on every start.
CONSTRAINTS = ("-c", "constraints/grading.txt")
# The assignment the sample cohort worked on: the four katas the suite is known for.
SAMPLE_COHORT_KATAS = (
    "stratified_train_test_split",
    "classification_metrics",
    "inverted_dropout",
    "gru_cell",
)


def _install(session: nox.Session, *extras: str) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    session.install(*CONSTRAINTS, "-e", target)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite: engine, bad input, suite-wide kata checks, CLI end to end."""
    _install(session, "test")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff."""
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the engine with mypy (strict)."""
    _install(session, "dev")
    session.run("mypy")


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: grade the bundled sample cohort into the SQLite gradebook and print the results."""
    _install(session)
    gradebook = os.environ.get("MLKATA_GRADEBOOK", "out/gradebook.sqlite")
    katas = [f"--kata={k}" for k in SAMPLE_COHORT_KATAS]
    command = [
        "mlkata",
        "cohort",
        "examples/cohort",
        "--gradebook",
        gradebook,
        "--report",
        "out/reports",
        *katas,
    ]
    session.run(*command, *session.posargs)


@nox.session(default=False)
def grade(session: nox.Session) -> None:
    """Grade one learner's folder: nox -s grade -- PATH [mlkata grade options]."""
    if not session.posargs:
        session.error("usage: nox -s grade -- LEARNER_DIR [--format table|json|junit] [--out PATH]")
    _install(session)
    path, *rest = session.posargs
    session.run("mlkata", "grade", "--learner", path, *rest)


@nox.session(default=False)
def cohort(session: nox.Session) -> None:
    """Grade every learner folder of a cohort: nox -s cohort -- DIR [--gradebook PATH] [--jobs N]."""
    if not session.posargs:
        session.error("usage: nox -s cohort -- DIR [--gradebook PATH] [--jobs N]")
    _install(session)
    session.run("mlkata", "cohort", *session.posargs)


@nox.session(default=False)
def verify(session: nox.Session) -> None:
    """Check graders: references full marks, stubs 0, every mutant loses points: nox -s verify -- [KATA ...]."""
    _install(session)
    session.run("mlkata", "verify", *session.posargs)


@nox.session(default=False)
def release(session: nox.Session) -> None:
    """Build the learner release: nox -s release -- OUT [--kata ID ...]."""
    if not session.posargs:
        session.error("usage: nox -s release -- OUT [--kata ID ...]")
    _install(session)
    session.run("mlkata", "release", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Measure grading speed and write the numbers to out/bench.json."""
    _install(session)
    session.run("python", "tools/bench.py", *session.posargs)


@nox.session(default=False)
def lock(session: nox.Session) -> None:
    """Print the installed versions, to refresh constraints/grading.txt after a deliberate upgrade."""
    _install(session)
    session.run("python", "-m", "pip", "freeze", "--exclude-editable")

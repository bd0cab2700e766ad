"""One grading job: one submission file against one kata's hidden grader, giving a ``KataResult``.

Runs in a process of its own (forked by the grading host), which imports the grader and the oracles but never the
learner's code: that lives behind the proxy, in the worker zygote's confined child (``sandbox`` backend) or, for the
suite's checks of trusted references and mutants, in this process (``inprocess`` backend).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from mlkata import scan
from mlkata.catalog import Kata
from mlkata.grading.plugin import GradingPlugin
from mlkata.proxy import FaultLog, InProcessTransport, Learner, LearnerFault, SocketTransport, Transport
from mlkata.results import KataResult, KataStatus

Backend = Literal["sandbox", "inprocess"]
GRADER_INI = Path(__file__).with_name("grader.ini")


@dataclass(frozen=True)
class Job:
    """What to grade: ``submission`` (a file) against ``kata``."""

    job_id: str
    kata_id: str
    submission: str
    learner: str = ""
    fail_fast: bool = False  # stop at the first failed test (for checks that only need "loses points")


def submission_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def _verdict(kata: Kata, status: KataStatus, message: str, started: float, digest: str) -> KataResult:
    return KataResult(
        kata=kata.id,
        score=0.0,
        max_score=kata.points,
        status=status,
        duration_s=time.perf_counter() - started,
        message=message,
        submission_sha256=digest,
    )


def run_job(
    kata: Kata,
    submission: Path,
    *,
    backend: Backend,
    socket_path: str | None = None,
    display_name: str | None = None,
    fail_fast: bool = False,
) -> KataResult:
    """Grade ``submission`` against ``kata``'s hidden grader."""
    started = time.perf_counter()
    filename = display_name or f"{kata.id}.py"
    try:
        raw = submission.read_bytes()
    except OSError as exc:
        return _verdict(
            kata, "error", f"no submission: cannot read {submission} ({exc.strerror})", started, ""
        )
    digest = submission_hash(raw)
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _verdict(kata, "error", f"{filename} is not UTF-8 text", started, digest)

    problem = scan.check_syntax(source, filename)
    if problem is not None:
        return _verdict(kata, "error", f"{filename}: {problem}", started, digest)
    findings = scan.scan_forbidden(
        source, kata.constraints.forbidden_imports, kata.constraints.forbidden_calls
    )
    if findings:
        listed = "; ".join(str(f) for f in findings)
        return _verdict(
            kata, "rejected", f"{filename} uses an API this kata forbids: {listed}", started, digest
        )

    load = {
        "op": "load",
        "source": source,
        "filename": filename,
        "module": kata.id,
        "exports": list(kata.exports),
        "forbidden_imports": list(kata.constraints.forbidden_imports),
        "forbidden_calls": list(kata.constraints.forbidden_calls),
        "memory_mb": kata.constraints.memory_mb,
        "cpu_s": int(max(60, kata.constraints.time_limit_s * 20)),
    }
    if backend == "sandbox":
        if socket_path is None:
            raise ValueError("the sandbox backend needs the worker zygote's socket")
        path = socket_path

        def connect() -> Transport:
            return SocketTransport(path)
    else:
        connect = InProcessTransport

    log = FaultLog()
    learner = Learner(load, connect, kata.constraints.time_limit_s, log)
    with contextlib.suppress(LearnerFault):  # a load failure is recorded in the log, read just below
        learner.ensure_loaded()
    if log.violations:
        return _verdict(
            kata,
            "rejected",
            f"{filename} used an API this kata forbids: {'; '.join(log.violations)}",
            started,
            digest,
        )
    if log.load_error is not None or log.faults:
        message = log.load_error["message"] if log.load_error else log.faults[-1]["message"]
        status: KataStatus = "timeout" if log.faults and log.faults[-1]["kind"] == "timeout" else "error"
        return _verdict(kata, status, message, started, digest)

    plugin = GradingPlugin(kata, learner)
    args = [
        str(kata.grader),
        "-c", str(GRADER_INI),
        "--rootdir", str(kata.grader_dir),
        "--confcutdir", str(kata.grader_dir),
        "--import-mode=importlib",
        "--assert=plain",
        "-p", "no:cacheprovider",
        "-p", "no:stepwise",
        # Its cleanup runs gc.collect() five times over a heap holding torch and scikit-learn: seconds per job.
        "-p", "no:unraisableexception",
        "-q",
        *(["-x"] if fail_fast else []),
    ]  # fmt: skip
    try:
        exit_code = pytest.main(args, plugins=[plugin])
    finally:
        learner.close()
    return _result(kata, plugin, log, int(exit_code), started=started, digest=digest)


def _result(
    kata: Kata, plugin: GradingPlugin, log: FaultLog, exit_code: int, *, started: float, digest: str
) -> KataResult:
    tests = list(plugin.results.values())
    if exit_code == 2 and tests and any(t.status == "failed" for t in tests):
        exit_code = 1  # pytest -x reports an interrupted session; the failed test is what stopped it
    if exit_code not in (0, 1) or not tests:
        detail = plugin.collection_error or f"pytest exit code {exit_code}"
        return _verdict(kata, "error", f"internal grader error, please report it: {detail}", started, digest)
    score = sum(t.score for t in tests)
    max_score = kata.points  # the tests add up to it (a suite check); a fail-fast run stops before all ran
    message = ""
    status: KataStatus
    kinds = [f["kind"] for f in log.faults]
    if log.violations:
        status, score = "rejected", 0.0
        message = f"your code used an API this kata forbids: {'; '.join(log.violations)}"
    elif "timeout" in kinds:
        status = "timeout"
        message = next(f["message"] for f in log.faults if f["kind"] == "timeout")
    elif kinds:
        status = "error"
        message = log.faults[0]["message"]
    elif all(t.status == "passed" for t in tests):
        status = "passed"
    else:
        status = "failed"
    return KataResult(
        kata=kata.id,
        score=score,
        max_score=max_score,
        status=status,
        duration_s=time.perf_counter() - started,
        tests=tests,
        message=message,
        submission_sha256=digest,
    )

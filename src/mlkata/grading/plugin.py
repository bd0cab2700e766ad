"""The pytest plugin that runs a hidden grader against one submission.

It provides the ``learner`` fixture (the proxy to the submission) and the ``kata`` fixture, reads each test's
``@pytest.mark.task(TASK_ID, points=N)`` marker, and records, for every test, its points and a teaching message
when it fails: the grader's own message for assertions, the learner's exception and the lines of their code it
came from, or the fault (timeout, crash) that stopped it. Grader source never appears in a message.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from mlkata.catalog import Kata
from mlkata.proxy import Learner, LearnerError, LearnerFault, UngradableValue
from mlkata.results import TestResult

settings.register_profile(
    "mlkata-grading",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    # No shrinking: a failing example is reported as generated. Shrinking a learner's failure costs seconds to
    # minutes per test, and derandomized generation already starts from small, simple inputs.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

MAX_MESSAGE = 1500


class GraderError(Exception):
    """The grader itself is malformed (a test without a task marker, an unknown task)."""


def describe_failure(exc: BaseException, learner: Learner) -> str:
    """The message a learner sees for a failed test."""
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return describe_failure(exc.exceptions[0], learner)
    if isinstance(exc, LearnerFault):
        return str(exc)
    if isinstance(exc, LearnerError):
        text = f"Called {exc.call}.\nYour code raised {exc.learner_type}: {exc}"
        if isinstance(exc, NotImplementedError):
            text = f"Called {exc.call}.\nNot implemented yet (your code raised NotImplementedError)."
        if exc.learner_traceback:
            text += f"\n{exc.learner_traceback}"
        return text
    if isinstance(exc, (AssertionError, UngradableValue)):
        text = str(exc).strip()
        if text:
            return text
        return (
            f"A check failed after calling {learner.last_call}." if learner.last_call else "A check failed."
        )
    name = type(exc).__name__
    if name == "Failed" and "DID NOT RAISE" in str(exc):
        return f"Called {learner.last_call}.\nReturned normally, but expected it to {str(exc).lower()}."
    if name == "Failed" and "DID NOT WARN" in str(exc):
        return f"Called {learner.last_call}.\nNo warning was emitted, but expected {str(exc).split('.')[0].lower()}."
    detail = f"{name}: {exc}".strip()
    after = f" after calling {learner.last_call}" if learner.last_call else ""
    return f"The grader could not check what your code returned{after} ({detail})."


class GradingPlugin:
    """Passed to ``pytest.main(plugins=[...])`` for one grading job."""

    def __init__(self, kata: Kata, learner: Learner) -> None:
        self.kata = kata
        self._learner = learner
        self.points: dict[str, tuple[str, float]] = {}
        self.results: dict[str, TestResult] = {}
        self.collection_error: str = ""
        self._started: dict[str, float] = {}

    @pytest.fixture(scope="session")
    def learner(self) -> Learner:
        """The submission, reached through the proxy."""
        return self._learner

    @pytest.fixture(name="kata", scope="session")
    def kata_fixture(self) -> Kata:
        """The kata's metadata (limits, exports, tasks)."""
        return self.kata

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line(
            "markers", "task(task_id, points): the kata task a test belongs to and its points"
        )
        settings.load_profile("mlkata-grading")

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        task_ids = {t.id for t in self.kata.tasks}
        for item in items:
            markers = list(item.iter_markers("task"))
            if len(markers) != 1:
                raise GraderError(f"{item.nodeid}: needs exactly one @pytest.mark.task(TASK_ID, points=N)")
            marker = markers[0]
            task_id = marker.args[0] if marker.args else marker.kwargs.get("task_id")
            points = marker.kwargs.get("points", marker.args[1] if len(marker.args) > 1 else None)
            if task_id not in task_ids:
                raise GraderError(
                    f"{item.nodeid}: task {task_id!r} is not in kata.toml ({', '.join(sorted(task_ids))})"
                )
            if not isinstance(points, (int, float)) or points < 0:
                raise GraderError(f"{item.nodeid}: points must be a non-negative number")
            self.points[_name(item)] = (str(task_id), float(points))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_error = str(report.longrepr)[-2000:]

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._started[_name(item)] = time.perf_counter()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, Any]:
        report = yield
        name = _name(item)
        if name not in self.points:
            return report
        finished = call.when == "call" or (call.when == "setup" and report.outcome != "passed")
        if not finished or name in self.results:
            return report
        task, points = self.points[name]
        passed = report.outcome == "passed"
        message = ""
        if not passed and call.excinfo is not None:
            message = describe_failure(call.excinfo.value, self._learner)
            if len(message) > MAX_MESSAGE:
                message = message[:MAX_MESSAGE] + " [...]"
        self.results[name] = TestResult(
            name=name,
            task=task,
            score=points if passed else 0.0,
            max_score=points,
            status="passed" if passed else "failed",
            message=message,
            duration_s=round(time.perf_counter() - self._started.get(name, time.perf_counter()), 4),
        )
        return report


def _name(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[-1]

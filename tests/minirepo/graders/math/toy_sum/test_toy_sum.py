"""Grader for the engine's toy kata."""

import numpy as np
import pytest

from mlkata.grading import checks


@pytest.mark.task("sums", points=1)
def test_total_small(learner):
    checks.close(learner.total([1, 2, 3.5]), 6.5, learner.last_call, hint="add them")


@pytest.mark.task("sums", points=1)
def test_total_empty(learner):
    checks.close(learner.total([]), 0.0, learner.last_call, hint="the empty sum is 0")


@pytest.mark.task("sums", points=2)
def test_running(learner):
    checks.array_close(learner.running(np.array([1.0, 2.0, 3.0])), [1.0, 3.0, 6.0], learner.last_call)


@pytest.mark.task("counter", points=1)
def test_counter_counts(learner):
    counter = learner.Counter(start=2)
    counter.add().add(3)
    checks.equal(counter.count, 6, "Counter(2).add().add(3).count")


@pytest.mark.task("counter", points=1)
def test_counter_rejects_negative_start(learner):
    with checks.raises(ValueError, "Counter(start=-1)"):
        learner.Counter(start=-1)

"""Grader for the engine's second toy kata."""

import numpy as np
import pytest

from mlkata.grading import checks


@pytest.mark.task("scale", points=1)
def test_scale(learner):
    checks.array_close(learner.scale([1, 2], 3), [3.0, 6.0], learner.last_call)


@pytest.mark.task("scale", points=1)
def test_scale_advances_the_generator(learner):
    gen = np.random.default_rng(0)
    first = learner.scale([0.0], 1, gen)
    second = learner.scale([0.0], 1, gen)
    expected = np.random.default_rng(0)
    checks.array_close(first, expected.normal(size=1), learner.last_call)
    checks.array_close(second, expected.normal(size=1), learner.last_call)

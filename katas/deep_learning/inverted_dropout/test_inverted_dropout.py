"""Worked examples from the README. The hidden grader checks much more."""

import numpy as np
import pytest
from inverted_dropout import Dropout


def test_kept_values_are_scaled() -> None:
    out = Dropout(p=0.5).forward(np.ones((4, 8)), np.random.default_rng(0))
    assert set(np.unique(out)) <= {0.0, 2.0}


def test_eval_is_identity() -> None:
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(Dropout(p=0.5).eval().forward(x, np.random.default_rng(0)), x)


def test_p_one_gives_zeros() -> None:
    np.testing.assert_array_equal(Dropout(p=1.0).forward(np.ones(3), np.random.default_rng(0)), np.zeros(3))


def test_p_outside_unit_interval_raises() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]|p"):
        Dropout(p=1.5)

"""Attack: make NumPy's comparisons always succeed, and return a wrong running sum."""

import numpy as np

np.isclose = lambda a, b, *args, **kwargs: np.ones(
    np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool
)
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
from _base import total, Counter  # noqa: E402


def running(xs):
    return np.zeros(len(xs))

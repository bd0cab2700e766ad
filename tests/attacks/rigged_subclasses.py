"""Attack: a float subclass and an ndarray subclass whose comparisons always succeed."""

import numpy as np
from _base import Counter  # noqa: F401


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class AlwaysClose(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __array_ufunc__(self, *args, **kwargs):
        return np.ones(self.shape, dtype=bool)


def total(xs):
    return AlwaysEqual(-1.0)


def running(xs):
    return np.zeros(len(xs)).view(AlwaysClose)

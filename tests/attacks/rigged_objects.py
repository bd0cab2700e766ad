"""Attack: return objects whose __eq__, __float__, __array__ and __bool__ claim anything."""

from _base import Counter  # noqa: F401


class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __float__(self):
        return 6.5

    def __array__(self, dtype=None, copy=None):
        import numpy as np

        return np.array([1.0, 3.0, 6.0])

    def __bool__(self):
        return True

    def __len__(self):
        return 3


def total(xs):
    return Liar()


def running(xs):
    return Liar()

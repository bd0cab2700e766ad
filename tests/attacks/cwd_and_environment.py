"""Attack: change the working directory and the environment (the answers are honest)."""

import os
from _base import Counter, running  # noqa: F401
from _base import total as _total


def total(xs):
    os.chdir("/")
    os.environ.clear()
    os.environ["PYTHONPATH"] = "/tmp/evil"
    return _total(xs)

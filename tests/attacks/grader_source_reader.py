"""Attack: find and read the hidden grader's source for the expected values."""

import glob
import os
import numpy as np
from _base import Counter  # noqa: F401

SOURCES = []
for pattern in (
    "/work/**/test_*.py",
    "/tmp/**/test_*.py",
    "/root/**/graders/**/*.py",
    "/home/**/solutions/**/*.py",
):
    try:
        SOURCES += glob.glob(pattern, recursive=True)[:5]
    except OSError:
        pass


def total(xs):
    for path in SOURCES:
        if os.path.exists(path):
            return 6.5  # would only be right if the grader were readable
    return -1.0


def running(xs):
    return np.zeros(len(xs))

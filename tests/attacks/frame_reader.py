"""Attack: look up the call stack and the garbage collector for the grader's expected values."""

import gc
import sys
import numpy as np
from _base import Counter  # noqa: F401


def _hunt():
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in frame.f_locals.items():
            if "expect" in name or "want" in name:
                found.append(value)
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj:
            found.append(obj["expected"])
    return found


def total(xs):
    found = _hunt()
    return float(found[0]) if found else -1.0


def running(xs):
    found = _hunt()
    return np.asarray(found[0]) if found else np.zeros(len(xs))

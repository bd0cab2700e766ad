"""Attack: patch the engine's own checks and codec from learner code, and return wrong values."""

import numpy as np
import mlkata.grading.checks as checks
import mlkata.codec as codec

checks.fail = lambda *a, **k: None
checks.array_close = lambda got, *a, **k: got
codec.Decoder.decode = lambda self, data, depth=0: 6.5
from _base import Counter  # noqa: E402


def total(xs):
    return -1.0


def running(xs):
    return np.zeros(len(xs))

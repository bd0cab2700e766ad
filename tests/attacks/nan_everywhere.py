"""Attack: NaN, which compares unequal to everything (a naive `not (got != expected)` would pass)."""

import math
import numpy as np
from _base import Counter  # noqa: F401


def total(xs):
    return math.nan


def running(xs):
    return np.full(len(xs), np.nan)

"""Attack: reach the forbidden numpy.cumsum through getattr with a built string."""

import numpy as np
from _base import total, Counter  # noqa: F401


def running(xs):
    return getattr(np, "cum" + "sum")(xs)

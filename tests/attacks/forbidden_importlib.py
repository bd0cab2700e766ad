"""Attack: import the forbidden module with importlib and a built name."""

import importlib
from _base import Counter, running  # noqa: F401


def total(xs):
    module = importlib.import_module("sklearn." + "metrics")
    return float(module.mean_absolute_error([0.0] * len(xs), xs)) * len(xs)

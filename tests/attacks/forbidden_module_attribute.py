"""Attack: reach the forbidden sklearn.metrics as an attribute of the sklearn package."""

import sklearn
from _base import Counter, running  # noqa: F401


def total(xs):
    metrics = getattr(sklearn, "met" + "rics")
    return float(metrics.mean_absolute_error([0.0] * len(xs), xs)) * len(xs)

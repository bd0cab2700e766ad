"""Attack: write fake result files wherever they might be read, and return wrong values."""

import json
import os
import numpy as np
from _base import Counter  # noqa: F401

FAKE = json.dumps({"kata": "toy_sum", "score": 6, "max_score": 6, "status": "passed", "tests": []})
for folder in (".", "/tmp", os.path.expanduser("~"), "/work", "/autograder/results", "/"):
    for name in ("result.json", "results.json", "report.json"):
        try:
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(FAKE)
        except OSError:
            pass


def total(xs):
    return -1.0


def running(xs):
    return np.zeros(len(xs))

"""Attack: patch pytest so that failures pass, and return a wrong running sum."""

import sys
import pytest

pytest.fail = lambda *a, **k: None
pytest.approx = lambda expected, *a, **k: type("Any", (), {"__eq__": lambda s, o: True})()
sys.modules["_pytest.outcomes"] = None
from _base import total, Counter  # noqa: E402
import numpy as np  # noqa: E402


def running(xs):
    return np.zeros(len(xs))

"""Attack: SIGKILL its own worker in the middle of a call."""

import os
import signal
from _base import Counter, total  # noqa: F401


def running(xs):
    os.kill(os.getpid(), signal.SIGKILL)

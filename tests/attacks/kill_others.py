"""Attack: kill the zygote, every process it can reach, and ptrace the parent."""

import ctypes
import os
import signal
from _base import Counter, running  # noqa: F401
from _base import total as _total


def total(xs):
    for target in (os.getppid(), 1, -1):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    try:
        ctypes.CDLL(None).ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH
    except OSError:
        pass
    return _total(xs)

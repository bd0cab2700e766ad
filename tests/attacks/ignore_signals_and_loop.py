"""Attack: ignore every catchable signal, then loop forever."""

import signal
from _base import Counter, total  # noqa: F401


def running(xs):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU, signal.SIGALRM):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        pass

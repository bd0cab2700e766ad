"""Attack: start processes that outlive the call (a new session, so a process-group kill misses them)."""

import subprocess
from _base import Counter, running  # noqa: F401
from _base import total as _total


def total(xs):
    subprocess.Popen(["sleep", "4242"], start_new_session=True)
    return _total(xs)

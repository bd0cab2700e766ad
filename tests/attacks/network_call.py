"""Attack: phone home for the answers."""

import socket
import urllib.request
from _base import Counter, running  # noqa: F401


def total(xs):
    for url in ("http://127.0.0.1:8765/answer", "http://example.com/"):
        try:
            return float(urllib.request.urlopen(url, timeout=2).read())
        except (OSError, ValueError):
            pass
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1)
    except OSError:
        pass
    return -1.0

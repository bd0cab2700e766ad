"""Framing: length-prefixed JSON messages over a stream socket."""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

MAX_FRAME = 256 * 1024 * 1024
_HEADER = struct.Struct("!I")


class WireError(ConnectionError):
    """The peer closed the connection or sent something that is not a frame."""


def send(sock: socket.socket, message: Any) -> None:
    payload = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(payload) > MAX_FRAME:
        raise WireError(f"message of {len(payload)} bytes exceeds the {MAX_FRAME}-byte limit")
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def _read_exact(sock: socket.socket, size: int) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise WireError("connection closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket) -> Any:
    (size,) = _HEADER.unpack(_read_exact(sock, _HEADER.size))
    if size > MAX_FRAME:
        raise WireError(f"frame of {size} bytes exceeds the {MAX_FRAME}-byte limit")
    try:
        return json.loads(_read_exact(sock, size).decode("utf-8"))
    except ValueError as exc:  # bad UTF-8, bad JSON, or an integer too long to parse
        raise WireError(f"malformed frame: {exc}") from None

"""Short, readable reprs of values, for the calls quoted in failure messages."""

from __future__ import annotations

import reprlib
from typing import Any

import numpy as np

_short = reprlib.Repr()
_short.maxlist = 8
_short.maxtuple = 8
_short.maxdict = 6
_short.maxstring = 40
_short.maxother = 60


def short_repr(value: Any, limit: int = 80) -> str:
    """A repr that fits in a message: small arrays in full, large ones by shape and dtype."""
    if isinstance(value, np.ndarray):
        if value.size <= 12 and value.ndim <= 2:
            body = np.array2string(value, separator=", ", precision=4, threshold=12)
            text = f"np.array({body.replace(chr(10), '')})"
            return text if len(text) <= limit else f"array(shape={value.shape}, dtype={value.dtype})"
        return f"array(shape={value.shape}, dtype={value.dtype})"
    if isinstance(value, float):
        return f"{value:.6g}"
    module = type(value).__module__
    if module.startswith("torch"):
        shape = tuple(getattr(value, "shape", ()))
        return f"tensor(shape={shape}, dtype={getattr(value, 'dtype', '?')})"
    if module.startswith("pandas"):
        return f"{type(value).__name__}(shape={getattr(value, 'shape', '?')})"
    if isinstance(value, np.random.Generator):
        return "np.random.default_rng(...)"
    text = _short.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_repr(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [short_repr(a) for a in args] + [f"{k}={short_repr(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"

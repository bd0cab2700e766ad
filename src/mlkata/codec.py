"""The codec: how values cross between the grader and learner code, as plain data.

Values become JSON-ready structures built from ``None``, ``bool``, ``int``, ``float``, ``str``, lists and tagged
objects (``{"$nd": [...]}`` for an array, ``{"$t": [...]}`` for a tuple, ...). Nothing is ever pickled: the trusted
side rebuilds every value itself from those plain parts, so an object that the learner side produced (a float
subclass with a rigged ``__eq__``, an ndarray subclass, an object with ``__array__``) can only ever arrive as the
plain number or array it stood for, or not at all.

Arrays travel as raw bytes with an explicit dtype, restricted to booleans, integers, floats and complex numbers;
string arrays travel as lists of strings. Objects that live on the other side (a learner's class instance, a
grader's callback) travel as handles, resolved by hooks that each side supplies.
"""

from __future__ import annotations

import base64
import math
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_DEPTH = 64
MAX_ITEMS = 50_000_000
_NUMERIC_KINDS = frozenset("biufc")
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class CodecError(TypeError):
    """A value cannot be encoded, or a message does not decode to the plain data it must be."""


Hook = Callable[[Any], Any]


class Encoder:
    """Turns values into plain structures.

    Parameters
    ----------
    ref : callable, optional
        Called with an object the codec does not know; returns a handle (``{"$ref": ...}``) or ``None``
        to refuse it. The learner side registers its own class instances this way; the trusted side
        passes remote objects back by handle.
    fn : callable, optional
        Called with a callable argument; returns a ``{"$fn": ...}`` handle (the trusted side's callbacks).
    rng : callable, optional
        Told of every ``np.random.Generator`` sent, in order, so that its new state can be taken back.
    """

    def __init__(self, ref: Hook | None = None, fn: Hook | None = None, rng: Hook | None = None) -> None:
        self._ref = ref
        self._fn = fn
        self._rng = rng

    def encode(self, obj: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise CodecError(f"value nested deeper than {MAX_DEPTH} levels")
        # Exact types first; subclasses are reduced to their base value below, never trusted as-is.
        if obj is None or type(obj) in (bool, int, str):
            return obj
        if type(obj) is float:
            return _float(obj)
        if isinstance(obj, np.generic):
            return self._numpy_scalar(obj)
        if isinstance(obj, bool):
            return bool.__bool__(obj)  # pragma: no cover - bool cannot be subclassed
        if isinstance(obj, int):
            return int.__index__(obj)
        if isinstance(obj, float):
            return _float(float.__float__(obj))
        if isinstance(obj, str):
            return str.__str__(obj)
        if isinstance(obj, complex):
            value = complex.__complex__(obj)
            return {"$c": [_float(value.real), _float(value.imag)]}
        if isinstance(obj, np.ndarray):
            return self._array(obj, depth)
        if isinstance(obj, tuple):
            return {"$t": [self.encode(v, depth + 1) for v in tuple.__iter__(obj)]}
        if isinstance(obj, list):
            return [self.encode(v, depth + 1) for v in list.__iter__(obj)]
        if isinstance(obj, dict):
            return {
                "$d": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in dict.items(obj)]
            }
        if isinstance(obj, (set, frozenset)):
            return {"$set": [self.encode(v, depth + 1) for v in obj]}
        if isinstance(obj, range):
            return {"$range": [obj.start, obj.stop, obj.step]}
        if isinstance(obj, slice):
            return {"$slice": [self.encode(v, depth + 1) for v in (obj.start, obj.stop, obj.step)]}
        if isinstance(obj, np.random.Generator):
            if self._rng is not None:
                self._rng(obj)
            return {"$rng": self.encode(obj.bit_generator.state, depth + 1)}
        if isinstance(obj, np.dtype):
            return {"$dtype": obj.str if obj.kind in _NUMERIC_KINDS else obj.name}
        encoded = self._library_value(obj, depth)
        if encoded is not None:
            return encoded
        if self._ref is not None:  # before callables: a remote object may itself be callable
            handle = self._ref(obj)
            if handle is not None:
                return handle
        if callable(obj) and self._fn is not None and not isinstance(obj, type):
            return self._fn(obj)
        raise CodecError(f"cannot send a value of type {type(obj).__module__}.{type(obj).__qualname__}")

    def _numpy_scalar(self, obj: np.generic) -> Any:
        dtype = np.dtype(type(obj))
        if dtype.kind in _NUMERIC_KINDS:
            arr = np.asarray(obj).view(np.ndarray)
            return {"$ns": [dtype.str, base64.b64encode(np.ndarray.tobytes(arr)).decode("ascii")]}
        if dtype.kind in "US":
            return str(obj.item()) if dtype.kind == "U" else bytes(obj.item()).decode("latin-1")
        raise CodecError(f"cannot send a NumPy scalar of dtype {dtype}")

    def _array(self, obj: np.ndarray, depth: int) -> Any:
        arr = np.asarray(obj).view(np.ndarray)  # strips subclasses: their data, never their behaviour
        kind = arr.dtype.kind
        shape = [int(n) for n in arr.shape]
        if kind in _NUMERIC_KINDS and arr.dtype.fields is None:
            data = np.ndarray.tobytes(np.ascontiguousarray(arr))
            return {"$nd": [arr.dtype.str, shape, base64.b64encode(data).decode("ascii")]}
        if kind == "U":
            return {"$nds": [shape, [str(s) for s in arr.ravel().tolist()]]}
        if kind == "O":
            return {"$ndo": [shape, [self.encode(v, depth + 1) for v in arr.ravel().tolist()]]}
        raise CodecError(f"cannot send an array of dtype {arr.dtype}")

    def _library_value(self, obj: Any, depth: int) -> Any:
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(obj, torch.Tensor):
            tensor = obj.detach().cpu().resolve_conj().resolve_neg()
            array = tensor.numpy() if tensor.dtype != torch.bfloat16 else tensor.float().numpy()
            return {
                "$tensor": [
                    self._array(array, depth),
                    str(tensor.dtype).removeprefix("torch."),
                    bool(obj.requires_grad),
                ]
            }
        pandas = sys.modules.get("pandas")
        if pandas is not None:
            if isinstance(obj, pandas.DataFrame):
                return {
                    "$df": {
                        "columns": self.encode(list(obj.columns), depth + 1),
                        "index": self._index(obj.index, depth),
                        "data": [self._array(obj.iloc[:, i].to_numpy(), depth) for i in range(obj.shape[1])],
                    }
                }
            if isinstance(obj, pandas.Series):
                return {
                    "$ser": {
                        "values": self._array(obj.to_numpy(), depth),
                        "index": self._index(obj.index, depth),
                        "name": self.encode(obj.name, depth + 1),
                    }
                }
            if isinstance(obj, pandas.Index):
                return self._index(obj, depth)
        return None

    def _index(self, index: Any, depth: int) -> Any:
        return {
            "$idx": [self._array(np.asarray(index.to_numpy()), depth), self.encode(index.name, depth + 1)]
        }


def _float(value: float) -> Any:
    if math.isfinite(value):
        return value
    return {"$f": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


class Decoder:
    """Rebuilds values from plain structures, checking every part.

    Parameters
    ----------
    ref, fn, rng : callable, optional
        Resolve ``{"$ref"}``, ``{"$fn"}`` and ``{"$rng"}`` handles. Without a hook the tag is refused.
    """

    def __init__(self, ref: Hook | None = None, fn: Hook | None = None, rng: Hook | None = None) -> None:
        self._ref = ref
        self._fn = fn
        self._rng = rng
        self._items = 0

    def decode(self, data: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise CodecError(f"value nested deeper than {MAX_DEPTH} levels")
        self._items += 1
        if self._items > MAX_ITEMS:
            raise CodecError("value has too many parts")
        if data is None or type(data) in (bool, int, str):
            return data
        if type(data) is float:
            return data
        if type(data) is list:
            return [self.decode(v, depth + 1) for v in data]
        if type(data) is not dict or len(data) != 1:
            raise CodecError(f"unexpected part of type {type(data).__name__}")
        ((tag, body),) = data.items()
        handler = _TAGS.get(tag)
        if handler is None:
            return self._hooked(tag, body, depth)
        return handler(self, body, depth)

    def _hooked(self, tag: str, body: Any, depth: int) -> Any:
        hook = {"$ref": self._ref, "$fn": self._fn, "$rng": self._rng}.get(tag)
        if hook is None:
            raise CodecError(f"unexpected tag {tag!r}")
        if tag == "$rng":
            return hook(self.decode(body, depth + 1))
        return hook(body)

    def list_of(self, body: Any, depth: int) -> list[Any]:
        if type(body) is not list:
            raise CodecError("expected a list")
        return [self.decode(v, depth + 1) for v in body]


def _shape(raw: Any) -> tuple[int, ...]:
    if type(raw) is not list or not all(type(n) is int and n >= 0 for n in raw) or len(raw) > 32:
        raise CodecError("bad array shape")
    return tuple(raw)


def _numeric_array(body: Any) -> np.ndarray:
    if type(body) is not list or len(body) != 3 or type(body[0]) is not str or type(body[2]) is not str:
        raise CodecError("bad array")
    try:
        dtype = np.dtype(body[0])
    except TypeError:
        raise CodecError(f"bad dtype {body[0]!r}") from None
    if dtype.kind not in _NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise CodecError(f"arrays of dtype {dtype} are not accepted")
    shape = _shape(body[1])
    count = math.prod(shape)
    if count > MAX_ITEMS:
        raise CodecError("array too large")
    raw = base64.b64decode(body[2], validate=True)
    if len(raw) != count * dtype.itemsize:
        raise CodecError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _dec_nd(dec: Decoder, body: Any, depth: int) -> Any:
    return _numeric_array(body)


def _dec_nds(dec: Decoder, body: Any, depth: int) -> Any:
    if type(body) is not list or len(body) != 2 or type(body[1]) is not list:
        raise CodecError("bad string array")
    shape = _shape(body[0])
    items = body[1]
    if len(items) != math.prod(shape) or not all(type(s) is str for s in items):
        raise CodecError("bad string array")
    return np.array(items, dtype=str).reshape(shape) if items else np.empty(shape, dtype="<U1")


def _dec_ndo(dec: Decoder, body: Any, depth: int) -> Any:
    if type(body) is not list or len(body) != 2:
        raise CodecError("bad object array")
    shape = _shape(body[0])
    items = dec.list_of(body[1], depth)
    if len(items) != math.prod(shape):
        raise CodecError("bad object array")
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def _dec_ns(dec: Decoder, body: Any, depth: int) -> Any:
    if type(body) is not list or len(body) != 2:
        raise CodecError("bad NumPy scalar")
    return _numeric_array([body[0], [], body[1]])[()]


def _dec_tuple(dec: Decoder, body: Any, depth: int) -> Any:
    return tuple(dec.list_of(body, depth))


def _dec_dict(dec: Decoder, body: Any, depth: int) -> Any:
    if type(body) is not list:
        raise CodecError("bad dict")
    out = {}
    for pair in body:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError("bad dict entry")
        key = dec.decode(pair[0], depth + 1)
        try:
            out[key] = dec.decode(pair[1], depth + 1)
        except TypeError:
            raise CodecError("unhashable dict key") from None
    return out


def _dec_set(dec: Decoder, body: Any, depth: int) -> Any:
    try:
        return set(dec.list_of(body, depth))
    except TypeError:
        raise CodecError("unhashable set item") from None


def _dec_float(dec: Decoder, body: Any, depth: int) -> Any:
    values = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
    if body not in values:
        raise CodecError("bad float")
    return values[body]


def _dec_complex(dec: Decoder, body: Any, depth: int) -> Any:
    parts = dec.list_of(body, depth)
    if len(parts) != 2 or not all(type(p) is float for p in parts):
        raise CodecError("bad complex")
    return complex(parts[0], parts[1])


def _dec_range(dec: Decoder, body: Any, depth: int) -> Any:
    if type(body) is not list or len(body) != 3 or not all(type(v) is int for v in body):
        raise CodecError("bad range")
    return range(*body)


def _dec_slice(dec: Decoder, body: Any, depth: int) -> Any:
    parts = dec.list_of(body, depth)
    if len(parts) != 3:
        raise CodecError("bad slice")
    return slice(*parts)


def _dec_dtype(dec: Decoder, body: Any, depth: int) -> Any:
    if type(body) is not str:
        raise CodecError("bad dtype")
    dtype = np.dtype(body)
    if dtype.kind not in _NUMERIC_KINDS | {"U", "O"}:
        raise CodecError(f"dtype {dtype} is not accepted")
    return dtype


def _dec_tensor(dec: Decoder, body: Any, depth: int) -> Any:
    import torch

    if type(body) is not list or len(body) != 3 or type(body[1]) is not str or type(body[2]) is not bool:
        raise CodecError("bad tensor")
    array = _numeric_array(body[0]["$nd"]) if type(body[0]) is dict and "$nd" in body[0] else None
    if array is None:
        raise CodecError("bad tensor")
    dtype = getattr(torch, body[1], None)
    if not isinstance(dtype, torch.dtype):
        raise CodecError(f"bad tensor dtype {body[1]!r}")
    tensor = torch.from_numpy(array).to(dtype)
    return tensor.requires_grad_(body[2]) if tensor.is_floating_point() or tensor.is_complex() else tensor


def _dec_index(dec: Decoder, body: Any, depth: int) -> Any:
    import pandas

    if type(body) is not list or len(body) != 2:
        raise CodecError("bad index")
    values = dec.decode(body[0], depth + 1)
    return pandas.Index(values, name=dec.decode(body[1], depth + 1))


def _dec_series(dec: Decoder, body: Any, depth: int) -> Any:
    import pandas

    if type(body) is not dict or set(body) != {"values", "index", "name"}:
        raise CodecError("bad Series")
    values = dec.decode(body["values"], depth + 1)
    index = dec.decode(body["index"], depth + 1)
    if not isinstance(values, np.ndarray) or not isinstance(index, pandas.Index) or len(values) != len(index):
        raise CodecError("bad Series")
    return pandas.Series(values, index=index, name=dec.decode(body["name"], depth + 1))


def _dec_frame(dec: Decoder, body: Any, depth: int) -> Any:
    import pandas

    if type(body) is not dict or set(body) != {"columns", "index", "data"}:
        raise CodecError("bad DataFrame")
    columns = dec.decode(body["columns"], depth + 1)
    index = dec.decode(body["index"], depth + 1)
    data = dec.list_of(body["data"], depth)
    if type(columns) is not list or len(columns) != len(data) or not isinstance(index, pandas.Index):
        raise CodecError("bad DataFrame")
    if any(not isinstance(col, np.ndarray) or len(col) != len(index) for col in data):
        raise CodecError("bad DataFrame")
    frame = pandas.DataFrame(dict(enumerate(data)), index=index)
    frame.columns = pandas.Index(columns)
    return frame


_TAGS: dict[str, Callable[[Decoder, Any, int], Any]] = {
    "$nd": _dec_nd,
    "$nds": _dec_nds,
    "$ndo": _dec_ndo,
    "$ns": _dec_ns,
    "$t": _dec_tuple,
    "$d": _dec_dict,
    "$set": _dec_set,
    "$f": _dec_float,
    "$c": _dec_complex,
    "$range": _dec_range,
    "$slice": _dec_slice,
    "$dtype": _dec_dtype,
    "$tensor": _dec_tensor,
    "$idx": _dec_index,
    "$ser": _dec_series,
    "$df": _dec_frame,
}


def make_generator(state: Any) -> np.random.Generator:
    """Build a ``np.random.Generator`` whose bit generator has exactly ``state``."""
    if type(state) is not dict or state.get("bit_generator") not in _BIT_GENERATORS:
        raise CodecError("bad random generator state")
    bit_generator = getattr(np.random, state["bit_generator"])()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as exc:
        raise CodecError(f"bad random generator state: {exc}") from None
    return np.random.Generator(bit_generator)


def roundtrip(value: Any) -> Any:
    """Encode and decode a plain value (no handles): what the other side would see."""
    return Decoder(rng=make_generator).decode(Encoder().encode(value))

"""Assertions for graders, with messages that teach.

Every failure says the call, what came back, what was expected, and one hint:

    Called f1_score([0, 1, 1], [0, 0, 1], average='macro').
    Returned 0.5, but expected 0.6667 (sklearn.metrics.f1_score).
    Hint: macro averaging takes the unweighted mean of the per-class F1 scores.

Values are coerced before they are compared (a list where an array was asked for is fine; ``None`` is not), and
floats are compared with tolerances.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from mlkata.reprs import short_repr


def _message(call: str, got: str, expected: str, hint: str | None, detail: str = "") -> str:
    lines = [f"Called {call}." if call else "", f"{got}, but expected {expected}."]
    if detail:
        lines.append(detail)
    if hint:
        lines.append(f"Hint: {hint}")
    return "\n".join(line for line in lines if line)


def fail(call: str, got: str, expected: str, hint: str | None = None, detail: str = "") -> None:
    """Fail the current test with a teaching message."""
    __tracebackhide__ = True
    raise AssertionError(_message(call, got, expected, hint, detail))


def as_array(value: Any, call: str, *, dtype: Any = None, what: str = "an array") -> np.ndarray:
    """Coerce what came back to an ndarray, or fail saying what it was."""
    __tracebackhide__ = True
    if value is None:
        fail(call, "Returned None", what, "did you forget a return statement?")
    if type(value).__module__.startswith("torch"):
        value = value.detach().cpu().numpy()
    elif hasattr(value, "to_numpy") and type(value).__module__.startswith("pandas"):
        value = value.to_numpy()
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        fail(call, f"Returned {short_repr(value)}", what, detail=f"({exc})")
    if array.dtype == object and dtype is None:
        with contextlib.suppress(TypeError, ValueError):
            array = np.asarray(value, dtype=float)
    return array


def as_float(value: Any, call: str, *, what: str = "a number") -> float:
    """Coerce what came back to a Python float (0-d arrays and NumPy scalars included)."""
    __tracebackhide__ = True
    if isinstance(value, (bool, np.bool_)) or value is None:
        fail(call, f"Returned {short_repr(value)}", what, "return a number")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if type(value).__module__.startswith("torch") and getattr(value, "numel", lambda: 0)() == 1:
        value = value.item()
    try:
        return float(value)
    except (TypeError, ValueError):
        fail(call, f"Returned {short_repr(value)}", what, "return a single number")
    raise AssertionError  # unreachable; fail() raised


def close(
    got: Any,
    expected: float,
    call: str,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    oracle: str = "",
    hint: str | None = None,
    nan_ok: bool = True,
) -> None:
    """Check a scalar: ``got`` coerces to a float within tolerance of ``expected`` (NaN matches NaN)."""
    __tracebackhide__ = True
    value = as_float(got, call)
    expected = float(expected)
    source = f" ({oracle})" if oracle else ""
    if math.isnan(expected) and nan_ok:
        if not math.isnan(value):
            fail(call, f"Returned {value:.6g}", f"nan{source}", hint)
        return
    if math.isnan(value) or not math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        fail(call, f"Returned {value:.6g}", f"{expected:.6g}{source}", hint)


def _first_difference(got: np.ndarray, expected: np.ndarray, mask: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    where = index if len(index) != 1 else index[0]
    return f"first difference at index {where}: got {short_repr(got[index])}, expected {short_repr(expected[index])}"


def array_close(
    got: Any,
    expected: Any,
    call: str,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    oracle: str = "",
    hint: str | None = None,
    check_dtype_kind: bool = False,
) -> np.ndarray:
    """Check an array: same shape, then values within tolerance (NaN where NaN is expected)."""
    __tracebackhide__ = True
    expected_arr = np.asarray(expected)
    got_arr = as_array(got, call, what=f"an array of shape {expected_arr.shape}")
    source = f" ({oracle})" if oracle else ""
    if got_arr.shape != expected_arr.shape:
        fail(
            call,
            f"Returned shape {got_arr.shape} (dtype {got_arr.dtype})",
            f"shape {expected_arr.shape} (dtype {expected_arr.dtype}){source}",
            hint,
        )
    if check_dtype_kind and got_arr.dtype.kind != expected_arr.dtype.kind:
        fail(call, f"Returned dtype {got_arr.dtype}", f"a dtype like {expected_arr.dtype}{source}", hint)
    if expected_arr.dtype.kind in "biufc" and got_arr.dtype.kind in "biufc":
        g = got_arr.astype(
            np.complex128 if "c" in (got_arr.dtype.kind, expected_arr.dtype.kind) else np.float64
        )
        e = expected_arr.astype(g.dtype)
        both_nan = np.isnan(g) & np.isnan(e)
        bad = ~(np.isclose(g, e, rtol=rtol, atol=atol) | both_nan)
    else:
        bad = np.asarray(got_arr != expected_arr, dtype=bool)
        if bad.shape != expected_arr.shape:
            bad = np.ones(expected_arr.shape, dtype=bool)
    if bad.any():
        fail(
            call,
            f"Returned {short_repr(got_arr)}",
            f"{short_repr(expected_arr)}{source}",
            hint,
            detail=f"{int(bad.sum())} of {bad.size} entries differ; {_first_difference(got_arr, expected_arr, bad)}",
        )
    return got_arr


def equal(got: Any, expected: Any, call: str, *, oracle: str = "", hint: str | None = None) -> None:
    """Check a plain value (a label, an int, a string) for equality after NumPy scalars are unwrapped."""
    __tracebackhide__ = True
    value = got.item() if isinstance(got, np.generic) else got
    if type(value) is not type(expected) and not (
        isinstance(value, (int, float)) and isinstance(expected, (int, float))
    ):
        fail(call, f"Returned {short_repr(got)} (a {type(got).__name__})", f"{short_repr(expected)}", hint)
    if value != expected:
        source = f" ({oracle})" if oracle else ""
        fail(call, f"Returned {short_repr(got)}", f"{short_repr(expected)}{source}", hint)


@contextmanager
def raises(
    exc_type: type[BaseException], call_label: str, *, match: str | None = None, hint: str | None = None
) -> Iterator[None]:
    """Expect learner code to raise ``exc_type`` (a built-in type), with ``match`` in its message.

    ``NotImplementedError`` never counts, even where a ``RuntimeError`` is expected: an unsolved stub must not
    pass an error-contract test.
    """
    __tracebackhide__ = True
    from mlkata.proxy import LearnerFault

    try:
        yield
    except LearnerFault:
        raise
    except Exception as exc:
        kind = getattr(exc, "learner_type", type(exc).__name__)
        if isinstance(exc, NotImplementedError) and exc_type is not NotImplementedError:
            fail(call_label, "Raised NotImplementedError", exc_type.__name__, "implement the function first")
        if not isinstance(exc, exc_type):
            fail(call_label, f"Raised {kind}: {exc}", exc_type.__name__, hint)
        if match is not None and not re.search(match, str(exc)):
            fail(call_label, f"Raised {kind}({str(exc)!r})", f"a message matching {match!r}", hint)
        return
    fail(call_label, "Returned normally", f"it to raise {exc_type.__name__}", hint)


def numeric_gradient(f: Callable[[np.ndarray], float], x: Any, eps: float = 1e-6) -> np.ndarray:
    """Central differences of a scalar function: ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for each entry.

    ``f`` may call learner code (each evaluation is then a call into the sandbox): keep ``x`` small.
    """
    point = np.array(x, dtype=np.float64)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        upper = float(f(point.copy()))
        point[index] = original - eps
        lower = float(f(point.copy()))
        point[index] = original
        grad[index] = (upper - lower) / (2 * eps)
    return grad


def gradient_close(
    got: Any,
    numeric: np.ndarray,
    call: str,
    *,
    wrt: str,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    hint: str | None = None,
) -> np.ndarray:
    """Check an analytic gradient against central differences, with a message that explains the check."""
    __tracebackhide__ = True
    explain = (
        f"The gradient with respect to {wrt} was checked against central differences: nudge each entry of {wrt} "
        "by +h and -h, rerun the forward pass, and take (L(+h) - L(-h)) / 2h, the slope of the loss along that entry."
    )
    return array_close(
        got, numeric, call, rtol=rtol, atol=atol, oracle="central differences", hint=hint or explain
    )

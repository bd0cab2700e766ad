"""Hidden grader for activations_and_derivatives.

Oracle: ``torch.relu``, ``torch.sigmoid``, ``torch.tanh``, ``torch.softmax``, ``torch.log_softmax`` in float64, and
``torch.autograd.grad`` for every derivative (relu'(0) = 0 there). Stability is graded as under
``np.errstate(over="raise", divide="raise", invalid="raise")``: the learner's process reports its NumPy
RuntimeWarnings (overflow, divide by zero,
invalid value), and any such warning on the extreme inputs fails the test.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlkata.grading import checks

ELEMENTWISE: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
}
DERIVATIVES = {"relu_grad": "relu", "sigmoid_grad": "sigmoid", "tanh_grad": "tanh"}


def T(x: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


def oracle(name: str, x: Any, axis: int | None = None) -> np.ndarray:
    t = T(x)
    if name in ELEMENTWISE:
        return ELEMENTWISE[name](t).numpy()
    fn = torch.softmax if name == "softmax" else torch.log_softmax
    return fn(t, dim=-1 if axis is None else axis).numpy()


def oracle_derivative(name: str, x: Any) -> np.ndarray:
    t = T(x).requires_grad_(True)
    (grad,) = torch.autograd.grad(ELEMENTWISE[name](t).sum(), t)
    return grad.numpy()


def oracle_softmax_backward(grad_out: np.ndarray, x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(y, dL/dx) for y = softmax(x, axis) and dL/dy = grad_out."""
    t = T(x).requires_grad_(True)
    y = torch.softmax(t, dim=axis)
    (grad,) = torch.autograd.grad(y, t, T(grad_out))
    return y.detach().numpy(), grad.numpy()


def quietly(learner: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call learner code; fail if it emitted a floating-point RuntimeWarning (as np.errstate(over/divide/invalid='raise') would)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        checks.fail(
            learner.last_call,
            f"Emitted RuntimeWarning: {numeric[0].message}",
            "no floating-point warning (this is graded as if under np.errstate(over/divide/invalid='raise'))",
            "exp(x) overflows for x > 709: only ever exponentiate numbers <= 0 (split on the sign, or subtract "
            "the maximum); np.where evaluates both branches, so the discarded one must not overflow either",
        )
    return out


finite = st.floats(-30, 30, allow_nan=False, allow_infinity=False)
wide = st.floats(-800, 800, allow_nan=False, allow_infinity=False)


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("elementwise", points=1)
def test_worked_examples_elementwise(learner):
    checks.array_close(
        learner.relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0], learner.last_call, oracle="torch.relu"
    )
    checks.array_close(
        quietly(learner, learner.sigmoid, np.array([-1000.0, 0.0, 1000.0])),
        [0.0, 0.5, 1.0],
        learner.last_call,
        oracle="torch.sigmoid",
    )
    checks.array_close(
        learner.tanh(np.array([-1000.0, 0.0, 1000.0])),
        [-1.0, 0.0, 1.0],
        learner.last_call,
        oracle="torch.tanh",
    )


@pytest.mark.task("derivatives", points=1)
def test_worked_examples_derivatives(learner):
    checks.array_close(
        learner.relu_grad(np.array([-1.0, 0.0, 2.0])),
        [0.0, 0.0, 1.0],
        learner.last_call,
        hint="relu'(x) is 1 for x > 0 and 0 otherwise, 0 at x = 0 included",
    )
    checks.array_close(
        learner.sigmoid_grad(np.array([0.0, 1000.0])),
        [0.25, 0.0],
        learner.last_call,
        hint="sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x)), evaluated at the input x",
    )
    checks.array_close(
        learner.tanh_grad(np.array([0.0, 1000.0])),
        [1.0, 0.0],
        learner.last_call,
        hint="tanh'(x) = 1 - tanh(x)**2, evaluated at the input x",
    )


@pytest.mark.task("softmax", points=1)
def test_worked_examples_softmax(learner):
    checks.array_close(
        learner.softmax(np.array([[0.0, 0.0], [0.0, np.log(3.0)]]), axis=0),
        [[0.5, 0.25], [0.5, 0.75]],
        learner.last_call,
        oracle="torch.softmax",
        hint="with axis=0 each column sums to 1",
    )
    checks.array_close(
        learner.log_softmax(np.array([1.0, 2.0, 3.0])),
        oracle("log_softmax", [1.0, 2.0, 3.0]),
        learner.last_call,
        oracle="torch.log_softmax",
    )


@pytest.mark.task("softmax_backward", points=1)
def test_worked_example_softmax_backward(learner):
    checks.array_close(
        learner.softmax_backward(np.array([1.0, 0.0]), np.array([0.5, 0.5])),
        [0.25, -0.25],
        learner.last_call,
        oracle="torch.autograd.grad",
        hint="dL/dx = y * (grad_out - sum(grad_out * y)); y is the softmax output",
    )


# -- named edge cases --------------------------------------------------------------------------------------


@pytest.mark.task("elementwise", points=1)
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_sigmoid_extreme(learner, name):
    x = np.array([-np.inf, -1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0, np.inf])
    out = quietly(learner, getattr(learner, name), x)
    checks.array_close(
        out,
        oracle(name, x),
        learner.last_call,
        oracle=f"torch.{name}",
        hint="the result saturates cleanly at the ends; build it from exp of non-positive numbers only",
    )


@pytest.mark.task("elementwise", points=1)
def test_float32_input_keeps_its_dtype(learner):
    x = np.array([[-3.5, -0.25, 0.0], [0.5, 2.0, 7.0]], dtype=np.float32)
    for name in ELEMENTWISE:
        out = getattr(learner, name)(x)
        got = checks.as_array(out, learner.last_call)
        if isinstance(out, np.ndarray) and got.dtype != np.float32:
            checks.fail(
                learner.last_call,
                f"Returned dtype {got.dtype}",
                "float32, the dtype of the input",
                "a floating input keeps its dtype: do not convert float32 to float64",
            )
        checks.array_close(
            got, oracle(name, x), learner.last_call, rtol=1e-5, atol=1e-6, oracle=f"torch.{name}"
        )


@pytest.mark.task("elementwise", points=1)
def test_empty_scalar_and_integer_inputs(learner):
    for name in ELEMENTWISE:
        fn = getattr(learner, name)
        checks.array_close(
            fn(np.zeros((0, 3))), np.zeros((0, 3)), learner.last_call, hint="empty in, empty out"
        )
        checks.array_close(
            fn(np.float64(-0.5)), oracle(name, -0.5), learner.last_call, hint="a 0-d input gives a 0-d result"
        )
        checks.array_close(
            fn(np.array([-2, 0, 3])),
            oracle(name, [-2.0, 0.0, 3.0]),
            learner.last_call,
            hint="integer input is converted to float64 first",
        )


@pytest.mark.task("derivatives", points=1)
def test_relu_grad_at_zero(learner):
    x = np.array([-0.0, 0.0, 1e-300, -1e-300])
    checks.array_close(
        learner.relu_grad(x),
        oracle_derivative("relu", x),
        learner.last_call,
        oracle="torch.autograd.grad(torch.relu)",
        hint="relu'(0) = 0 (strictly positive inputs only get slope 1), as torch and most frameworks define it",
    )


@pytest.mark.task("derivatives", points=1)
def test_derivatives_at_extreme_inputs(learner):
    x = np.array([-np.inf, -1000.0, -40.0, 0.0, 40.0, 1000.0, np.inf])
    for name, base in DERIVATIVES.items():
        out = quietly(learner, getattr(learner, name), x)
        checks.array_close(
            out,
            oracle_derivative(base, x),
            learner.last_call,
            oracle=f"torch.autograd.grad(torch.{base})",
            hint="at the saturated ends the derivative is 0, with no overflow on the way",
        )


@pytest.mark.task("softmax", points=1)
def test_softmax_large(learner):
    x = np.array([[1000.0, 1000.0, -1000.0], [1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1001.0]])
    out = quietly(learner, learner.softmax, x)
    checks.array_close(
        out,
        oracle("softmax", x),
        learner.last_call,
        oracle="torch.softmax",
        hint="exp(1000) is inf; subtract the maximum of each slice before exponentiating",
    )


@pytest.mark.task("softmax", points=1)
def test_log_softmax_gap(learner):
    x = np.array([[0.0, -1000.0, -50.0], [800.0, -800.0, 0.0]])
    out = quietly(learner, learner.log_softmax, x)
    checks.array_close(
        out,
        oracle("log_softmax", x),
        learner.last_call,
        oracle="torch.log_softmax",
        hint="log(softmax(x)) is log(0) = -inf once a probability underflows; compute (x - max) - log(sum exp(x - max))",
    )


@pytest.mark.task("softmax", points=1)
def test_masked_logits(learner):
    x = np.array([[-np.inf, 0.0, 1.0, -np.inf], [2.0, -np.inf, -1.0, 0.5]])
    out = quietly(learner, learner.softmax, x)
    checks.array_close(
        out,
        oracle("softmax", x),
        learner.last_call,
        oracle="torch.softmax",
        hint="a -inf logit has probability exactly 0; the rest normalise among themselves",
    )
    out = quietly(learner, learner.log_softmax, x)
    checks.array_close(
        out,
        oracle("log_softmax", x),
        learner.last_call,
        oracle="torch.log_softmax",
        hint="a -inf logit has log-probability -inf, and must not turn the others into nan",
    )


@pytest.mark.task("softmax", points=1)
def test_axis(learner):
    x = np.arange(24.0).reshape(2, 3, 4) * 0.37 - np.array([0.0, 1.5, -2.0, 4.0])
    for name in ("softmax", "log_softmax"):
        out = getattr(learner, name)(x)
        checks.array_close(
            out,
            oracle(name, x, axis=-1),
            learner.last_call,
            oracle=f"torch.{name}(dim=-1)",
            hint="the default axis is the last one, -1",
        )
        for axis in (0, 1, 2, -2, -3):
            out = getattr(learner, name)(x, axis=axis)
            checks.array_close(
                out,
                oracle(name, x, axis=axis),
                learner.last_call,
                oracle=f"torch.{name}(dim={axis})",
                hint="reduce (max and sum) along `axis` with keepdims=True so the result broadcasts back",
            )


@pytest.mark.task("softmax", points=1)
def test_float32_and_empty_batch(learner):
    x = np.array([[-3.5, -0.25, 0.0, 1.0], [0.5, 2.0, 7.0, -1.0]], dtype=np.float32)
    for name in ("softmax", "log_softmax"):
        out = getattr(learner, name)(x)
        got = checks.as_array(out, learner.last_call)
        if isinstance(out, np.ndarray) and got.dtype != np.float32:
            checks.fail(
                learner.last_call,
                f"Returned dtype {got.dtype}",
                "float32, the dtype of the input",
                "a floating input keeps its dtype",
            )
        checks.array_close(
            got, oracle(name, x), learner.last_call, rtol=1e-5, atol=1e-6, oracle=f"torch.{name}"
        )
        checks.array_close(
            getattr(learner, name)(np.zeros((0, 5))),
            np.zeros((0, 5)),
            learner.last_call,
            hint="an empty batch gives an empty result of the same shape",
        )


# -- agreement with torch on generated inputs -------------------------------------------------------------


@pytest.mark.task("elementwise", points=1)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
@settings(max_examples=25)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5), elements=wide))
def test_elementwise_match_torch(learner, name, x):
    out = quietly(learner, getattr(learner, name), x)
    checks.array_close(out, oracle(name, x), learner.last_call, oracle=f"torch.{name}")


@pytest.mark.task("derivatives", points=1)
@pytest.mark.parametrize("name", list(DERIVATIVES))
@settings(max_examples=25)
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
        elements=st.one_of(finite, st.sampled_from([0.0, -1.0, 1.0])),
    )
)
def test_derivatives_match_autograd(learner, name, x):
    base = DERIVATIVES[name]
    checks.array_close(
        getattr(learner, name)(x),
        oracle_derivative(base, x),
        learner.last_call,
        oracle=f"torch.autograd.grad(torch.{base})",
        hint="the derivative is taken at the input x, not at the output of the activation",
    )


@pytest.mark.task("softmax", points=2)
@settings(max_examples=30)
@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5), elements=wide),
    data=st.data(),
)
def test_softmax_and_log_softmax_match_torch(learner, x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    out = quietly(learner, learner.softmax, x, axis=axis)
    checks.array_close(
        out, oracle("softmax", x, axis), learner.last_call, oracle=f"torch.softmax(dim={axis})"
    )
    out = quietly(learner, learner.log_softmax, x, axis=axis)
    checks.array_close(
        out,
        oracle("log_softmax", x, axis),
        learner.last_call,
        rtol=1e-9,
        atol=1e-9,
        oracle=f"torch.log_softmax(dim={axis})",
    )


@pytest.mark.task("softmax_backward", points=2)
@settings(max_examples=25)
@given(
    x=hnp.arrays(
        np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=5), elements=finite
    ),
    data=st.data(),
)
def test_softmax_backward_vs_autograd(learner, x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    g = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-5, 5)), label="grad_out")
    y, expected = oracle_softmax_backward(g, x, axis)
    checks.array_close(
        learner.softmax_backward(g, y, axis=axis),
        expected,
        learner.last_call,
        atol=1e-10,
        oracle="torch.autograd.grad(torch.softmax)",
        hint="within each slice along axis: dL/dx = y * (grad_out - sum(grad_out * y)); the sum runs along axis only",
    )


# -- invariants: batched and unbatched agree, probabilities sum to 1, shifts change nothing ----------------


@pytest.mark.task("softmax", points=1)
def test_unbatched_matches_batched(learner):
    batch = np.array([[0.3, -1.2, 2.5, 0.0, 1.1], [4.0, 4.0, -3.0, 0.5, 2.2], [-0.7, 0.9, 0.1, -2.4, 3.3]])
    for name in ("softmax", "log_softmax"):
        whole = checks.as_array(getattr(learner, name)(batch), learner.last_call)
        for i, row in enumerate(batch):
            checks.array_close(
                getattr(learner, name)(row),
                whole[i],
                learner.last_call,
                hint="a single vector (C,) must give the same result as the same row inside a batch (N, C)",
            )


INVARIANT_X = np.array(
    [[0.3, -1.2, 2.5, 0.0, 1.1, -30.0], [4.0, 4.0, -3.0, 0.5, 2.2, 9.5], [-700.0, 0.9, 650.0, -2.4, 3.3, 0.0]]
)


@pytest.mark.task("softmax", points=1)
def test_softmax_sums_to_one_and_ignores_shifts(learner):
    p = checks.as_array(learner.softmax(INVARIANT_X), learner.last_call)
    checks.array_close(
        p.sum(axis=-1), np.ones(3), learner.last_call, rtol=1e-12, atol=1e-12, hint="each row sums to 1"
    )
    for shift in (-500.0, 123.456):
        checks.array_close(
            quietly(learner, learner.softmax, INVARIANT_X + shift),
            p,
            learner.last_call,
            rtol=1e-9,
            atol=1e-12,
            hint="adding the same constant to every logit of a row changes nothing",
        )


@pytest.mark.task("softmax", points=1)
def test_log_softmax_is_the_log_of_softmax(learner):
    p = checks.as_array(learner.softmax(INVARIANT_X), learner.last_call)
    logp = checks.as_array(learner.log_softmax(INVARIANT_X), learner.last_call)
    checks.array_close(
        np.exp(logp),
        p,
        learner.last_call,
        rtol=1e-9,
        atol=1e-14,
        hint="exp(log_softmax(x)) must equal softmax(x): both normalise by the same sum",
    )
    m = logp.max(axis=-1, keepdims=True)
    checks.array_close(
        (m + np.log(np.exp(logp - m).sum(axis=-1, keepdims=True))).ravel(),
        np.zeros(3),
        learner.last_call,
        atol=1e-12,
        hint="log-probabilities are normalised: logsumexp of each row of log_softmax(x) is 0",
    )


@pytest.mark.task("softmax_backward", points=1)
def test_softmax_backward_batched_rows(learner):
    # (N, C) = (3, 5): a reduction over the batch axis, or a transposed Jacobian product, cannot fit this shape.
    x = np.array([[0.3, -1.2, 2.5, 0.0, 1.1], [4.0, 4.0, -3.0, 0.5, 2.2], [-0.7, 0.9, 0.1, -2.4, 3.3]])
    g = np.array([[1.0, -2.0, 0.5, 3.0, -1.0], [0.0, 2.0, 1.0, -1.5, 0.25], [-3.0, 1.0, 2.0, 0.5, 1.5]])
    y, expected = oracle_softmax_backward(g, x, -1)
    whole = checks.array_close(
        learner.softmax_backward(g, y),
        expected,
        learner.last_call,
        oracle="torch.autograd.grad(torch.softmax)",
        hint="each row is its own softmax: sum grad_out * y along the last axis, keepdims=True",
    )
    for i in range(3):
        checks.array_close(
            learner.softmax_backward(g[i], y[i]),
            whole[i],
            learner.last_call,
            hint="a single vector (C,) must give the same gradient as the same row inside a batch (N, C)",
        )
    y0, expected0 = oracle_softmax_backward(g, x, 0)
    checks.array_close(
        learner.softmax_backward(g, y0, axis=0),
        expected0,
        learner.last_call,
        oracle="torch.autograd.grad(torch.softmax(dim=0))",
        hint="with axis=0 the softmax ran down the columns: sum along axis 0",
    )


@pytest.mark.task("softmax_backward", points=1)
def test_softmax_backward_float32_and_masked(learner):
    x = np.array([[-np.inf, 0.0, 1.0], [2.0, -np.inf, -1.0]])
    g = np.array([[5.0, 1.0, -1.0], [0.5, 7.0, 2.0]])
    y, expected = oracle_softmax_backward(g, x, -1)
    checks.array_close(
        quietly(learner, learner.softmax_backward, g, y),
        expected,
        learner.last_call,
        oracle="torch.autograd.grad(torch.softmax)",
        hint="a masked entry (y = 0) gets zero gradient",
    )
    checks.array_close(
        learner.softmax_backward(g.astype(np.float32), y.astype(np.float32)),
        expected,
        learner.last_call,
        rtol=1e-5,
        atol=1e-6,
        oracle="torch.autograd.grad(torch.softmax)",
    )


# -- error contract ---------------------------------------------------------------------------------------


@pytest.mark.task("softmax", points=1)
def test_axis_out_of_range_raises(learner):
    x = np.ones((2, 3))
    for name in ("softmax", "log_softmax"):
        with checks.raises(
            ValueError,
            f"{name}(np.ones((2, 3)), axis=2)",
            hint="let NumPy's reduction raise AxisError (a ValueError), or check the axis yourself",
        ):
            getattr(learner, name)(x, axis=2)


@pytest.mark.task("softmax_backward", points=1)
def test_softmax_backward_shape_mismatch_raises(learner):
    y = np.full((3, 4), 0.25)
    for bad in (np.ones(4), np.ones((4, 3)), np.ones((1, 4))):
        with checks.raises(
            ValueError,
            f"softmax_backward(np.ones({bad.shape}), y of shape (3, 4))",
            hint="grad_out must have exactly y's shape; compare the shapes before broadcasting hides the mistake",
        ):
            learner.softmax_backward(bad, y)

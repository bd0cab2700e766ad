"""Hidden grader for inverted_dropout.

There is no RNG-compatible oracle for a mask, so the oracle is the set of properties ``torch.nn.Dropout`` has
(checked against torch 2.13): outputs in {0, x/(1-p)}, zero fraction ~ p, E[output] = x, exact identity in eval,
p=0 identity, p=1 zeros without NaN, backward through the same mask, fresh masks per call, reproducible by seed,
element-wise independence.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("forward", points=1)
def test_worked_example_kept_values_scaled(learner):
    out = learner.Dropout(p=0.5).forward(np.ones((4, 8)), rng(0))
    got = checks.as_array(out, learner.last_call)
    values = set(np.unique(got).tolist())
    if not values <= {0.0, 2.0}:
        checks.fail(
            learner.last_call,
            f"Returned values {sorted(values)}",
            "only 0.0 and 2.0 (= 1/(1-p))",
            "kept elements are divided by the keep probability 1-p",
        )


@pytest.mark.task("construct", points=1)
def test_training_after_construction_and_mode_switches(learner):
    drop = learner.Dropout(p=0.3)
    checks.equal(drop.training, True, "Dropout(p=0.3).training", hint="a new layer starts in training mode")
    drop.eval()
    checks.equal(
        drop.training, False, "Dropout(p=0.3).eval(); .training", hint="eval() switches training off"
    )
    drop.train()
    checks.equal(drop.training, True, "Dropout(p=0.3).train(); .training", hint="train() switches it back on")
    drop.train(False)
    checks.equal(
        drop.training, False, "Dropout(p=0.3).train(False); .training", hint="train(mode) sets the mode"
    )


@pytest.mark.task("construct", points=1)
def test_train_and_eval_return_self(learner):
    drop = learner.Dropout(p=0.3)
    back = drop.eval()
    out = back.forward(np.array([1.0, 2.0]), rng())
    checks.array_close(
        out,
        [1.0, 2.0],
        "Dropout(0.3).eval().forward([1., 2.], rng)",
        hint="train() and eval() return self, so calls can be chained",
    )


# -- named edge cases --------------------------------------------------------------------------------------


@pytest.mark.task("construct", points=1)
@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_p_outside_unit_interval_raises(learner, p):
    with checks.raises(
        ValueError, f"Dropout(p={p})", hint="p is a probability: check 0 <= p <= 1 in __init__"
    ):
        learner.Dropout(p=p)


@pytest.mark.task("forward", points=1)
def test_p_zero_is_identity_in_training(learner):
    x = np.linspace(-2, 2, 12).reshape(3, 4)
    out = learner.Dropout(p=0.0).forward(x, rng())
    checks.array_close(out, x, learner.last_call, rtol=0, atol=0, hint="p=0 drops nothing and scales by 1")


@pytest.mark.task("forward", points=1)
def test_p_one_gives_zeros_without_nan(learner):
    x = np.arange(1.0, 7.0).reshape(2, 3)
    out = learner.Dropout(p=1.0).forward(x, rng())
    checks.array_close(
        out,
        np.zeros_like(x),
        learner.last_call,
        rtol=0,
        atol=0,
        hint="with p=1 everything is dropped; 1/(1-p) is 1/0, so do not compute 0 * inf",
    )


@pytest.mark.task("forward", points=1)
def test_int_input_gives_float_output(learner):
    x = np.array([[1, 2, 3], [4, 5, 6]])
    out = learner.Dropout(p=0.5).forward(x, rng(1))
    got = checks.as_array(out, learner.last_call)
    if got.dtype.kind != "f":
        checks.fail(
            learner.last_call,
            f"Returned dtype {got.dtype}",
            "a floating dtype",
            "integer input cannot hold x/(1-p); convert to float64",
        )
    kept = got != 0
    checks.array_close(got[kept], x[kept] * 2.0, learner.last_call, hint="survivors are x / (1 - p)")


@pytest.mark.task("forward", points=1)
def test_4d_input_keeps_shape(learner):
    x = np.ones((2, 3, 4, 5))
    out = checks.as_array(learner.Dropout(p=0.2).forward(x, rng(2)), learner.last_call)
    if out.shape != x.shape:
        checks.fail(
            learner.last_call, f"Returned shape {out.shape}", f"shape {x.shape}", "the mask has x's shape"
        )


# -- properties of torch.nn.Dropout on generated inputs ------------------------------------------------------


@pytest.mark.task("forward", points=1)
@settings(max_examples=40)
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
        elements=st.floats(-100, 100, allow_nan=False).filter(lambda v: v != 0),
    ),
    p=st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]),
    seed=st.integers(0, 2**32 - 1),
)
def test_outputs_are_zero_or_scaled_input(learner, x, p, seed):
    out = checks.as_array(learner.Dropout(p=p).forward(x, rng(seed)), learner.last_call)
    if out.shape != x.shape:
        checks.fail(learner.last_call, f"Returned shape {out.shape}", f"shape {x.shape}")
    scaled = x / (1 - p)
    ok = (out == 0) | np.isclose(out, scaled, rtol=1e-12, atol=0)
    if not ok.all():
        i = tuple(int(v) for v in np.argwhere(~ok)[0])
        checks.fail(
            learner.last_call,
            f"Returned {float(out[i]):.6g} at index {i}",
            f"0 or x/(1-p) = {float(scaled[i]):.6g}",
            "each element is either dropped (0) or kept and divided by 1-p",
        )


@pytest.mark.task("forward", points=1)
@pytest.mark.parametrize("p", [0.25, 0.6])
def test_zero_fraction_matches_p(learner, p):
    n = 100_000
    out = checks.as_array(learner.Dropout(p=p).forward(np.ones(n), rng(3)), learner.last_call)
    frac = float(np.mean(out == 0))
    sigma = math.sqrt(p * (1 - p) / n)
    if abs(frac - p) > 5 * sigma:
        checks.fail(
            learner.last_call,
            f"Dropped a fraction {frac:.4f} of the elements",
            f"about p = {p} (within {5 * sigma:.4f})",
            "p is the probability of dropping, not of keeping",
        )


@pytest.mark.task("forward", points=1)
def test_expectation_preserved(learner):
    p, n = 0.5, 100_000
    out = checks.as_array(learner.Dropout(p=p).forward(np.full(n, 3.0), rng(4)), learner.last_call)
    mean = float(out.mean())
    sigma = 3.0 * math.sqrt(p / (1 - p) / n)
    if abs(mean - 3.0) > 5 * sigma:
        checks.fail(
            learner.last_call,
            f"Returned values with mean {mean:.4f}",
            f"mean 3.0 (within {5 * sigma:.4f})",
            "inverted dropout scales survivors by 1/(1-p) so that E[output] = x",
        )


@pytest.mark.task("forward", points=1)
def test_fresh_mask_each_call_and_reproducible(learner):
    drop = learner.Dropout(p=0.5)
    gen = rng(5)
    first = checks.as_array(drop.forward(np.ones(64), gen), learner.last_call)
    second = checks.as_array(drop.forward(np.ones(64), gen), learner.last_call)
    if np.array_equal(first, second):
        checks.fail(
            "forward(x, rng) twice with the same generator",
            "Returned the same mask twice",
            "a fresh mask on every call",
            "draw the mask from rng inside forward, every time",
        )
    again = checks.as_array(learner.Dropout(p=0.5).forward(np.ones(64), rng(5)), learner.last_call)
    checks.array_close(
        again,
        first,
        "Dropout(0.5).forward(np.ones(64), np.random.default_rng(5)) twice",
        hint="use only the rng you are given, so the same seed gives the same mask",
    )


@pytest.mark.task("forward", points=1)
def test_elementwise_independence(learner):
    out = checks.as_array(learner.Dropout(p=0.5).forward(np.ones((200, 50)), rng(6)), learner.last_call)
    dropped = out == 0
    rows_uniform = np.mean(dropped.all(axis=1) | (~dropped).all(axis=1))
    cols_uniform = np.mean(dropped.all(axis=0) | (~dropped).all(axis=0))
    if rows_uniform > 0.5 or cols_uniform > 0.5:
        checks.fail(
            learner.last_call,
            "Dropped whole rows or columns together",
            "each element dropped independently",
            "draw one random number per element: rng.random(x.shape)",
        )


# -- eval mode ---------------------------------------------------------------------------------------------


@pytest.mark.task("forward", points=1)
@settings(max_examples=25)
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
        elements=st.floats(-1e6, 1e6, allow_nan=False),
    ),
    p=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
)
def test_eval_is_exact_identity(learner, x, p):
    drop = learner.Dropout(p=p)
    drop.forward(x, rng(7))
    drop.eval()
    out = drop.forward(x, rng(8))
    checks.array_close(
        out,
        x,
        learner.last_call,
        rtol=0,
        atol=0,
        hint="inverted dropout does nothing at eval time: no mask and no scaling",
    )


# -- backward ----------------------------------------------------------------------------------------------


@pytest.mark.task("backward", points=3)
@settings(max_examples=25)
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
    p=st.sampled_from([0.2, 0.5, 0.8]),
    seed=st.integers(0, 2**32 - 1),
)
def test_backward_uses_the_same_mask(learner, shape, p, seed):
    drop = learner.Dropout(p=p)
    out = checks.as_array(drop.forward(np.ones(shape), rng(seed)), learner.last_call)
    grad = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    back = drop.backward(grad)
    checks.array_close(
        back,
        grad * out,
        learner.last_call,
        hint="backward multiplies grad_out by the mask and scale of the last forward; do not draw a new mask",
    )


@pytest.mark.task("backward", points=1)
def test_backward_after_eval_forward_is_identity(learner):
    drop = learner.Dropout(p=0.5).eval()
    drop.forward(np.ones(5), rng())
    grad = np.array([1.0, -2.0, 3.0, -4.0, 5.0])
    checks.array_close(
        drop.backward(grad),
        grad,
        learner.last_call,
        rtol=0,
        atol=0,
        hint="in eval mode forward is the identity, so its gradient passes through unchanged",
    )


@pytest.mark.task("backward", points=1)
def test_backward_p_one_is_zero(learner):
    drop = learner.Dropout(p=1.0)
    drop.forward(np.ones(4), rng())
    checks.array_close(
        drop.backward(np.ones(4)),
        np.zeros(4),
        learner.last_call,
        rtol=0,
        atol=0,
        hint="everything was dropped, so no gradient flows (and no NaN)",
    )


@pytest.mark.task("backward", points=1)
def test_backward_before_forward_raises(learner):
    drop = learner.Dropout(p=0.5)
    with checks.raises(
        RuntimeError,
        "Dropout(0.5).backward(g) before any forward",
        hint="there is no mask yet: raise RuntimeError",
    ):
        drop.backward(np.ones(3))

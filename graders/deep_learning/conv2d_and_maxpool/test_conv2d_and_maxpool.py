"""Hidden grader for conv2d_and_maxpool.

Oracles: ``torch.nn.functional.conv2d`` and ``torch.nn.functional.max_pool2d(return_indices=True)`` in float64 with
every argument pinned, and torch autograd through ``max_pool2d`` for the backward pass (checked against torch
2.13): cross-correlation (no flip); ``H_out = (H + 2p - d(k-1) - 1) // s + 1``; grouped weights (O, C/groups, kH,
kW); max-pool pads with -inf; ceil_mode keeps a last window only if it starts inside the input or its left
padding; stride defaults to kernel_size; ties go to the first maximum in row-major order of the window; indices are
flat positions in each H*W plane.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

# The oracle's inputs are tiny: intra-op threads only add contention with parallel grading jobs.
torch.set_num_threads(1)

CONV = "torch.nn.functional.conv2d"
POOL = "torch.nn.functional.max_pool2d"


def t(a: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def oracle_conv(x, w, b=None, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:  # noqa: PLR0917
    bias = None if b is None else t(b)
    return functional.conv2d(
        t(x), t(w), bias, stride=stride, padding=padding, dilation=dilation, groups=groups
    ).numpy()


def oracle_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False) -> tuple[np.ndarray, np.ndarray]:
    out, idx = functional.max_pool2d(
        t(x),
        kernel_size,
        stride=kernel_size if stride is None else stride,
        padding=padding,
        dilation=1,
        ceil_mode=ceil_mode,
        return_indices=True,
    )
    return out.numpy(), idx.numpy()


def oracle_pool_grad(x, grad_out, kernel_size, stride=None, padding=0, ceil_mode=False) -> np.ndarray:  # noqa: PLR0917
    xt = t(x).clone().requires_grad_(True)
    out = functional.max_pool2d(
        xt,
        kernel_size,
        stride=kernel_size if stride is None else stride,
        padding=padding,
        dilation=1,
        ceil_mode=ceil_mode,
    )
    (grad,) = torch.autograd.grad(out, xt, grad_outputs=t(grad_out))
    return grad.numpy()


def pool_pair(learner, result, call: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        checks.fail(
            call, f"Returned a {type(result).__name__}", "a pair (out, indices) with return_indices=True"
        )
    return checks.as_array(result[0], call), checks.as_array(result[1], call)


def check_indices(got: np.ndarray, expected: np.ndarray, call: str, hint: str) -> None:
    if got.dtype.kind not in "iu" and not (got.dtype.kind == "f" and np.all(got == np.round(got))):
        checks.fail(call, f"Returned indices of dtype {got.dtype}", "integer indices", hint)
    checks.array_close(got, expected, call, rtol=0, atol=0, oracle=POOL, hint=hint)


# -- conv2d: worked examples and named cases ---------------------------------------------------------------


@pytest.mark.task("conv", points=1)
def test_worked_example_conv(learner):
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    checks.array_close(
        learner.conv2d(x, w),
        np.full((1, 1, 2, 2), -4.0),
        learner.last_call,
        oracle=CONV,
        hint="out[i, j] = sum over the window x[i:i+2, j:j+2] * w: x[i, j] - x[i+1, j+1] = -4 everywhere",
    )


@pytest.mark.task("conv", points=1)
def test_kernel_is_not_flipped(learner):
    x = np.array([[[[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]]]])
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    checks.array_close(
        learner.conv2d(x, w),
        oracle_conv(x, w),
        learner.last_call,
        oracle=CONV,
        hint="deep-learning 'convolution' is cross-correlation: w[0, 0] multiplies the window's top-left, no flip",
    )


@pytest.mark.task("conv", points=1)
def test_bias_is_added_per_output_channel(learner):
    rng = np.random.default_rng(1)
    x, w, b = (
        rng.standard_normal((2, 3, 5, 4)),
        rng.standard_normal((4, 3, 2, 3)),
        np.array([1.0, -2.0, 0.5, 3.0]),
    )
    checks.array_close(
        learner.conv2d(x, w, b),
        oracle_conv(x, w, b),
        learner.last_call,
        oracle=CONV,
        hint="b[o] is added to every position of output channel o",
    )


@pytest.mark.task("conv", points=1)
@pytest.mark.parametrize(
    ("x_shape", "w_shape", "kwargs"),
    [
        ((1, 2, 7, 6), (3, 2, 3, 3), {"stride": 2, "padding": 1}),
        ((2, 1, 8, 5), (2, 1, 3, 2), {"stride": (3, 1), "padding": (0, 2)}),
        ((1, 2, 9, 7), (1, 2, 3, 3), {"stride": 2, "dilation": 2}),
    ],
    ids=["k3_s2_p1", "non_square", "dilated"],
)
def test_output_shapes(learner, x_shape, w_shape, kwargs):
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    checks.array_close(
        learner.conv2d(x, w, None, **kwargs),
        oracle_conv(x, w, None, **kwargs),
        learner.last_call,
        oracle=CONV,
        hint="padding adds zeros on both sides of each axis; H_out = (H + 2*padding - dilation*(k - 1) - 1) // stride + 1",
    )


@pytest.mark.task("conv", points=1)
def test_one_by_one_kernel_mixes_channels(learner):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 1, 1))
    checks.array_close(
        learner.conv2d(x, w),
        oracle_conv(x, w),
        learner.last_call,
        oracle=CONV,
        hint="a 1x1 kernel is a per-pixel matrix product over channels: out[n, o] = sum_c w[o, c] * x[n, c]",
    )


@pytest.mark.task("conv", points=1)
def test_stride_larger_than_kernel(learner):
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((1, 2, 9, 8)), rng.standard_normal((3, 2, 2, 2))
    checks.array_close(
        learner.conv2d(x, w, None, stride=3),
        oracle_conv(x, w, None, stride=3),
        learner.last_call,
        oracle=CONV,
        hint="with stride 3 and a 2x2 kernel some inputs are skipped: windows start at 0, 3, 6",
    )


@pytest.mark.task("conv", points=1)
def test_unbatched_input_matches_batched(learner):
    rng = np.random.default_rng(5)
    x, w, b = rng.standard_normal((2, 6, 5)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    out = learner.conv2d(x, w, b, stride=(2, 1), padding=1)
    checks.array_close(
        out,
        oracle_conv(x[None], w, b, stride=(2, 1), padding=1)[0],
        learner.last_call,
        oracle=CONV,
        hint="a (C, H, W) input is one image: treat it as a batch of one and return (O, H_out, W_out)",
    )


# -- conv2d: agreement with torch --------------------------------------------------------------------------


@st.composite
def conv_case(draw, *, with_groups: bool):
    groups = draw(st.integers(1, 3)) if with_groups else 1
    cg, og = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if with_groups else (1, 1)
    H = draw(st.integers(max(1, dilation[0] * (kh - 1) + 1 - 2 * padding[0]), 8))
    W = draw(st.integers(max(1, dilation[1] * (kw - 1) + 1 - 2 * padding[1]), 8))
    N = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, cg * groups, H, W))
    w = rng.standard_normal((og * groups, cg, kh, kw))
    b = rng.standard_normal(og * groups) if draw(st.booleans()) else None
    return x, w, b, stride, padding, dilation, groups


@pytest.mark.task("conv", points=2)
@settings(max_examples=40)
@given(case=conv_case(with_groups=False))
def test_conv_matches_torch(learner, case):
    x, w, b, stride, padding, dilation, groups = case
    checks.array_close(
        learner.conv2d(x, w, b, stride, padding, dilation, groups),
        oracle_conv(x, w, b, stride, padding, dilation, groups),
        learner.last_call,
        atol=1e-9,
        oracle=CONV,
        hint="zero-pad, then out[n, o, i, j] = b[o] + sum_{c,p,q} w[o, c, p, q] * x_pad[n, c, i*s + p, j*s + q]",
    )


# -- dilation and groups -----------------------------------------------------------------------------------


@pytest.mark.task("dilation_groups", points=1)
def test_dilation_two(learner):
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal((1, 2, 7, 8)), rng.standard_normal((2, 2, 3, 2))
    checks.array_close(
        learner.conv2d(x, w, None, 1, 1, 2, 1),
        oracle_conv(x, w, None, 1, 1, 2, 1),
        learner.last_call,
        oracle=CONV,
        hint="dilation d spaces the taps: tap (p, q) reads x_pad[i*s + p*d, j*s + q*d]; the kernel spans d*(k-1)+1",
    )


@pytest.mark.task("dilation_groups", points=1)
def test_grouped_conv(learner):
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((2, 4, 5, 5)), rng.standard_normal((6, 2, 3, 3)), rng.standard_normal(6)
    checks.array_close(
        learner.conv2d(x, w, b, 1, 0, 1, 2),
        oracle_conv(x, w, b, 1, 0, 1, 2),
        learner.last_call,
        oracle=CONV,
        hint="groups=2: output channels 0-2 see input channels 0-1 only, output channels 3-5 input channels 2-3",
    )


@pytest.mark.task("dilation_groups", points=1)
def test_depthwise_conv(learner):
    rng = np.random.default_rng(8)
    x, w = rng.standard_normal((1, 3, 6, 5)), rng.standard_normal((3, 1, 3, 3))
    checks.array_close(
        learner.conv2d(x, w, None, 1, 1, 1, 3),
        oracle_conv(x, w, None, 1, 1, 1, 3),
        learner.last_call,
        oracle=CONV,
        hint="groups = C is depthwise: each channel is filtered by its own single-channel kernel",
    )


@pytest.mark.task("dilation_groups", points=2)
@settings(max_examples=40)
@given(case=conv_case(with_groups=True))
def test_dilated_grouped_conv_matches_torch(learner, case):
    x, w, b, stride, padding, dilation, groups = case
    checks.array_close(
        learner.conv2d(x, w, b, stride, padding, dilation, groups),
        oracle_conv(x, w, b, stride, padding, dilation, groups),
        learner.last_call,
        atol=1e-9,
        oracle=CONV,
        hint="group g pairs output channels [g*O/G, (g+1)*O/G) with input channels [g*C/G, (g+1)*C/G)",
    )


# -- conv2d: error contract --------------------------------------------------------------------------------


@pytest.mark.task("conv", points=1)
def test_conv_rejects_invalid_input(learner):
    cases = [
        ((1, 3, 5, 5), (2, 2, 3, 3), {}, "w has 2 input channels but x has 3"),
        ((1, 2, 2, 2), (1, 2, 3, 3), {}, "a 3x3 kernel does not fit in a 2x2 input"),
        (
            (1, 2, 5, 5),
            (1, 2, 3, 3),
            {"b": np.zeros(2)},
            "one bias per output channel: b must have shape (1,)",
        ),
        ((1, 2, 5, 5), (1, 2, 3, 3), {"stride": 0}, "stride must be at least 1"),
        ((1, 2, 5, 5), (1, 2, 3, 3), {"padding": -1}, "padding must be at least 0"),
        ((5, 5), (1, 1, 3, 3), {}, "x must be (N, C, H, W) or (C, H, W)"),
    ]
    for x_shape, w_shape, kwargs, why in cases:
        with checks.raises(
            ValueError,
            f"conv2d(x of shape {x_shape}, w of shape {w_shape}, {kwargs})",
            hint=f"raise ValueError: {why}",
        ):
            learner.conv2d(np.ones(x_shape), np.ones(w_shape), **kwargs)


@pytest.mark.task("dilation_groups", points=1)
def test_groups_must_divide_channels(learner):
    for x_shape, w_shape, groups in [((1, 4, 5, 5), (3, 2, 3, 3), 2), ((1, 3, 5, 5), (2, 1, 3, 3), 2)]:
        with checks.raises(
            ValueError,
            f"conv2d(x of shape {x_shape}, w of shape {w_shape}, groups={groups})",
            hint="groups must divide both C and O, and w.shape[1] must be C // groups",
        ):
            learner.conv2d(np.ones(x_shape), np.ones(w_shape), None, 1, 0, 1, groups)


# -- maxpool2d forward -------------------------------------------------------------------------------------

POOL_X = np.array([[[[1.0, 3.0, 2.0, 0.0], [2.0, 3.0, 5.0, 1.0]]]])


@pytest.mark.task("pool_forward", points=1)
def test_worked_example_maxpool(learner):
    checks.array_close(
        learner.maxpool2d(POOL_X, 2),
        [[[[3.0, 5.0]]]],
        learner.last_call,
        oracle=POOL,
        hint="the maximum of each 2x2 window; windows step by the kernel size",
    )


@pytest.mark.task("pool_forward", points=1)
def test_stride_defaults_to_kernel_size(learner):
    x = np.arange(30.0).reshape(1, 1, 5, 6) % 7
    checks.array_close(
        learner.maxpool2d(x, (2, 3)),
        oracle_pool(x, (2, 3))[0],
        learner.last_call,
        oracle=POOL,
        hint="stride=None means stride = kernel_size (non-overlapping windows), not 1",
    )


@pytest.mark.task("pool_forward", points=1)
def test_padding_is_negative_infinity(learner):
    x = -np.ones((1, 2, 4, 4))
    checks.array_close(
        learner.maxpool2d(x, 2, 2, 1),
        oracle_pool(x, 2, 2, 1)[0],
        learner.last_call,
        oracle=POOL,
        hint="max-pool pads with -inf, so padding never wins: an all -1 input pools to -1, not 0",
    )


@pytest.mark.task("pool_forward", points=1)
def test_ceil_mode_keeps_a_partial_window(learner):
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    checks.array_close(
        learner.maxpool2d(x, 2, 2, 0, True),
        oracle_pool(x, 2, 2, 0, True)[0],
        learner.last_call,
        oracle=POOL,
        hint="ceil_mode rounds (H + 2p - k) / s up: 5x5 with k2 s2 gives 3x3 (the last window holds one row)",
    )


@pytest.mark.task("pool_forward", points=1)
def test_ceil_mode_drops_a_window_starting_in_right_padding(learner):
    x = np.arange(30.0).reshape(1, 1, 5, 6)[:, :, ::-1, ::-1].copy()
    checks.array_close(
        learner.maxpool2d(x, 2, 2, 1, True),
        oracle_pool(x, 2, 2, 1, True)[0],
        learner.last_call,
        oracle=POOL,
        hint="5 rows, k2 s2 p1: ceil((5 + 2 - 2) / 2) + 1 = 4 windows, but the 4th would start in the bottom "
        "padding (row 6 of the padded input), so ceil mode drops it: keep it only if (out - 1) * stride < H + padding",
    )


@pytest.mark.task("pool_forward", points=1)
def test_non_square_kernel_and_stride(learner):
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 3, 7, 9))
    checks.array_close(
        learner.maxpool2d(x, (3, 2), (2, 3), (1, 0)),
        oracle_pool(x, (3, 2), (2, 3), (1, 0))[0],
        learner.last_call,
        oracle=POOL,
        hint="pairs are (height, width): kernel 3 rows by 2 columns, stride 2 rows and 3 columns",
    )


@pytest.mark.task("pool_forward", points=1)
def test_unbatched_pool_matches_batched(learner):
    rng = np.random.default_rng(10)
    x = rng.standard_normal((3, 5, 6))
    checks.array_close(
        learner.maxpool2d(x, 2, 1),
        oracle_pool(x[None], 2, 1)[0][0],
        learner.last_call,
        oracle=POOL,
        hint="a (C, H, W) input is pooled as a batch of one and gives (C, H_out, W_out)",
    )


@st.composite
def pool_case(draw, *, ties: bool = False):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    ceil_mode = draw(st.booleans())
    H, W = draw(st.integers(kh, 8)), draw(st.integers(kw, 8))
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-3, 3, (N, C, H, W)).astype(float) if ties else rng.standard_normal((N, C, H, W))
    return x, (kh, kw), stride, padding, ceil_mode


@pytest.mark.task("pool_forward", points=2)
@settings(max_examples=40)
@given(case=pool_case())
def test_pool_matches_torch(learner, case):
    x, kernel, stride, padding, ceil_mode = case
    checks.array_close(
        learner.maxpool2d(x, kernel, stride, padding, ceil_mode),
        oracle_pool(x, kernel, stride, padding, ceil_mode)[0],
        learner.last_call,
        rtol=0,
        atol=0,
        oracle=POOL,
        hint="out size (H + 2p - k) / s + 1, floored (or ceiled in ceil_mode); pad with -inf; max of each window",
    )


@pytest.mark.task("pool_forward", points=1)
def test_pool_rejects_invalid_arguments(learner):
    cases = [
        ((1, 1, 4, 4), (2, 2, 2), "padding must be at most half the kernel size"),
        ((1, 1, 4, 4), (0,), "kernel_size must be at least 1"),
        ((1, 1, 4, 4), (2, 0), "stride must be at least 1"),
        ((1, 1, 2, 2), (3,), "a 3x3 window does not fit in a 2x2 input: the output would be empty"),
        ((4, 4), (2,), "x must be (N, C, H, W) or (C, H, W)"),
    ]
    for shape, args, why in cases:
        with checks.raises(
            ValueError, f"maxpool2d(x of shape {shape}, *{args})", hint=f"raise ValueError: {why}"
        ):
            learner.maxpool2d(np.ones(shape), *args)


# -- maxpool2d indices -------------------------------------------------------------------------------------


@pytest.mark.task("pool_indices", points=1)
def test_worked_example_indices_are_flat_per_plane(learner):
    _, idx = pool_pair(learner, learner.maxpool2d(POOL_X, 2, None, 0, False, True), learner.last_call)
    check_indices(
        idx,
        np.array([[[[1, 6]]]]),
        learner.last_call,
        hint="an index is row * W + col in the unpadded input plane: 3 at (0, 1) is 1, 5 at (1, 2) is 1*4 + 2 = 6",
    )


@pytest.mark.task("pool_indices", points=1)
def test_ties_pick_the_first_maximum_in_row_major_order(learner):
    x = np.array([[[[1.0, 3.0], [2.0, 3.0]], [[4.0, 0.0], [4.0, 4.0]]]])
    _, idx = pool_pair(learner, learner.maxpool2d(x, 2, None, 0, False, True), learner.last_call)
    check_indices(
        idx,
        oracle_pool(x, 2)[1],
        learner.last_call,
        hint="among equal maxima keep the first in row-major order of the window: [[1, 3], [2, 3]] gives (0, 1)",
    )


@pytest.mark.task("pool_indices", points=2)
@settings(max_examples=40)
@given(case=pool_case(ties=True))
def test_indices_match_torch(learner, case):
    x, kernel, stride, padding, ceil_mode = case
    out, idx = pool_pair(
        learner, learner.maxpool2d(x, kernel, stride, padding, ceil_mode, True), learner.last_call
    )
    expected_out, expected_idx = oracle_pool(x, kernel, stride, padding, ceil_mode)
    checks.array_close(out, expected_out, learner.last_call, rtol=0, atol=0, oracle=POOL)
    check_indices(
        idx,
        expected_idx,
        learner.last_call,
        hint="flat index row * W + col in the unpadded plane; ties go to the first maximum in row-major order",
    )


# -- maxpool2d backward ------------------------------------------------------------------------------------


@pytest.mark.task("pool_backward", points=1)
def test_worked_example_backward(learner):
    got = learner.maxpool2d_backward(np.array([[[[10.0, 20.0]]]]), np.array([[[[1, 6]]]]), (1, 1, 2, 4))
    checks.array_close(
        got,
        [[[[0.0, 10.0, 0.0, 0.0], [0.0, 0.0, 20.0, 0.0]]]],
        learner.last_call,
        oracle="torch autograd",
        hint="each output gradient goes to the one input that was the maximum; every other input gets 0",
    )


@pytest.mark.task("pool_backward", points=1)
def test_overlapping_windows_accumulate(learner):
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0
    grad_out = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    _, idx = oracle_pool(x, 2, 1)
    got = learner.maxpool2d_backward(grad_out, idx, (1, 1, 3, 3))
    checks.array_close(
        got,
        oracle_pool_grad(x, grad_out, 2, 1),
        learner.last_call,
        oracle="torch autograd",
        hint="the centre is the maximum of all four overlapping windows: it receives 1 + 2 + 3 + 4 = 10 (add, do not overwrite)",
    )


@pytest.mark.task("pool_backward", points=1)
def test_backward_ties_go_to_the_first_maximum(learner):
    x = np.array([[[[1.0, 3.0, 7.0, 7.0], [2.0, 3.0, 7.0, 7.0]]]])
    grad_out = np.array([[[[1.0, 2.0]]]])
    result = learner.maxpool2d(x, 2, None, 0, False, True)
    _, idx = pool_pair(learner, result, learner.last_call)
    got = learner.maxpool2d_backward(grad_out, idx, x.shape)
    checks.array_close(
        got,
        oracle_pool_grad(x, grad_out, 2),
        f"_, idx = maxpool2d(x, 2, return_indices=True); {learner.last_call}",
        oracle="torch autograd",
        hint="a tie sends the whole gradient to the first maximum in row-major order, never a share to each",
    )


@pytest.mark.task("pool_backward", points=2)
@settings(max_examples=30)
@given(case=pool_case(), seed=st.integers(0, 2**32 - 1))
def test_backward_matches_autograd(learner, case, seed):
    x, kernel, stride, padding, ceil_mode = case
    _, idx = oracle_pool(x, kernel, stride, padding, ceil_mode)
    grad_out = np.random.default_rng(seed).standard_normal(idx.shape)
    checks.array_close(
        learner.maxpool2d_backward(grad_out, idx, x.shape),
        oracle_pool_grad(x, grad_out, kernel, stride, padding, ceil_mode),
        f"{learner.last_call} with the indices of {POOL}(x, {kernel}, {stride}, {padding}, ceil_mode={ceil_mode})",
        oracle="torch autograd",
        hint="scatter-add grad_out into zeros of input_shape at the flat indices, plane by plane",
    )


@pytest.mark.task("pool_backward", points=1)
def test_backward_agrees_with_central_differences(learner):
    rng = np.random.default_rng(11)
    x0 = rng.permutation(np.arange(20.0)).reshape(1, 1, 4, 5) / 4  # distinct values: no ties, a smooth max
    g = rng.standard_normal((1, 1, 3, 3))

    def loss(x: np.ndarray) -> float:
        out = learner.maxpool2d(x, 2, (1, 2), (0, 1))
        return float(np.sum(checks.as_array(out, learner.last_call) * g))

    numeric = checks.numeric_gradient(loss, x0, eps=1e-3)
    _, idx = pool_pair(learner, learner.maxpool2d(x0, 2, (1, 2), (0, 1), False, True), learner.last_call)
    got = learner.maxpool2d_backward(g, idx, x0.shape)
    checks.gradient_close(
        got,
        numeric,
        "L(x) = sum(maxpool2d(x, 2, (1, 2), (0, 1)) * g); maxpool2d_backward(g, idx, x.shape)",
        wrt="x",
    )


@pytest.mark.task("pool_backward", points=1)
def test_backward_rejects_mismatched_shapes(learner):
    cases = [
        ((1, 1, 2, 2), (1, 1, 2, 1), (1, 1, 4, 4), "grad_out and indices must have the same shape"),
        (
            (1, 2, 2, 2),
            (1, 2, 2, 2),
            (1, 3, 4, 4),
            "grad_out's batch and channel axes must match input_shape",
        ),
    ]
    for grad_shape, idx_shape, input_shape, why in cases:
        with checks.raises(
            ValueError,
            f"maxpool2d_backward(grad_out of shape {grad_shape}, indices of shape {idx_shape}, {input_shape})",
            hint=f"raise ValueError: {why}",
        ):
            learner.maxpool2d_backward(np.ones(grad_shape), np.zeros(idx_shape, dtype=np.int64), input_shape)

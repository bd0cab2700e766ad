"""Hidden grader for gru_cell.

Oracle: ``torch.nn.GRUCell`` and ``torch.nn.GRU`` (torch 2.13), built in float64 with every parameter pinned
(``bias=True``, one layer, no dropout, one direction, ``batch_first`` as given) and the learner's weights
copied in. Their equations: ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``,
``z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)``, ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
``h' = (1 - z) * n + z * h``, weights stacked r | z | n.

The shapes are chosen so that the classic bugs cannot hide: I != H and N > 1 (transposed or reshaped weights,
mixed batch rows), non-zero h (h = 0 hides the reset-gate placement), non-zero b_hh (else b_hn outside the
reset product is invisible), N != T (batch_first), T >> 1 (a state that is not carried).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

RTOL = 1e-9  # float64 closed form
ATOL = 1e-10
F32_ATOL = 1e-5  # float32 inputs
CELL = "torch.nn.GRUCell"
GRU = "torch.nn.GRU"

HINT_EQUATIONS = (
    "r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z = sigmoid(W_iz x + b_iz + W_hz h + b_hz), "
    "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h, with W_ih = [W_ir; W_iz; W_in]"
)


# -- oracles and helpers ----------------------------------------------------------------------------------


def _t(a: np.ndarray | None, size: int) -> torch.Tensor:
    if a is None:
        return torch.zeros(size, dtype=torch.float64)
    return torch.from_numpy(np.asarray(a, dtype=np.float64).copy())


def torch_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None) -> np.ndarray:  # noqa: PLR0917
    """torch.nn.GRUCell in float64 with the given weights (None biases are zeros)."""
    three_h, input_size = np.shape(W_ih)
    hidden_size = three_h // 3
    cell = torch.nn.GRUCell(input_size, hidden_size, bias=True, device="cpu", dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(W_ih, 0))
        cell.weight_hh.copy_(_t(W_hh, 0))
        cell.bias_ih.copy_(_t(b_ih, three_h))
        cell.bias_hh.copy_(_t(b_hh, three_h))
        return cell(_t(x, 0), _t(h, 0)).numpy()


def torch_gru(  # noqa: PLR0917
    x, h0, W_ih, W_hh, b_ih=None, b_hh=None, batch_first=False
) -> tuple[np.ndarray, np.ndarray]:
    """torch.nn.GRU (one layer) in float64; returns (out, h_n) with h_n as (N, H)."""
    three_h, input_size = np.shape(W_ih)
    hidden_size = three_h // 3
    gru = torch.nn.GRU(
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=batch_first,
        dropout=0.0,
        bidirectional=False,
        device="cpu",
        dtype=torch.float64,
    )
    n = np.shape(x)[0 if batch_first else 1]
    with torch.no_grad():
        gru.weight_ih_l0.copy_(_t(W_ih, 0))
        gru.weight_hh_l0.copy_(_t(W_hh, 0))
        gru.bias_ih_l0.copy_(_t(b_ih, three_h))
        gru.bias_hh_l0.copy_(_t(b_hh, three_h))
        hx = torch.zeros(1, n, hidden_size, dtype=torch.float64) if h0 is None else _t(h0, 0)[None]
        out, h_n = gru(_t(x, 0), hx)
    return out.numpy(), h_n[0].numpy()


def params(seed: int, input_size: int, hidden_size: int, scale: float = 1.0):
    """W_ih (3H, I), W_hh (3H, H), b_ih (3H,), b_hh (3H,) from a seed: generic, so no symmetry hides a bug."""
    gen = np.random.default_rng(seed)
    return (
        scale * gen.normal(size=(3 * hidden_size, input_size)),
        scale * gen.normal(size=(3 * hidden_size, hidden_size)),
        scale * gen.normal(size=3 * hidden_size),
        scale * gen.normal(size=3 * hidden_size),
    )


def unpack_forward(result, call: str, t: int, n: int, hidden_size: int, *, batch_first: bool = False):
    """Split gru_forward's (out, h_n), accepting a tuple or a list, and check both shapes."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        checks.fail(call, f"Returned {type(result).__name__}", "a pair (out, h_n)", "return out, h_n")
    out = checks.as_array(result[0], call, what="out, an array")
    h_n = checks.as_array(result[1], call, what="h_n, an array")
    want = (n, t, hidden_size) if batch_first else (t, n, hidden_size)
    if out.shape != want:
        layout = "(N, T, H) with batch_first=True" if batch_first else "(T, N, H)"
        checks.fail(call, f"Returned out of shape {out.shape}", f"shape {want}", f"out is {layout}")
    if h_n.shape != (n, hidden_size):
        checks.fail(
            call,
            f"Returned h_n of shape {h_n.shape}",
            f"shape {(n, hidden_size)}",
            "h_n is the last hidden state, (N, H): unlike torch.nn.GRU there is no num_layers axis",
        )
    return out, h_n


def gen(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# The README's worked example: N=2, I=3, H=2.
WX = np.array([[1.0, -2.0, 0.5], [0.0, 0.5, -1.0]])
WH = np.array([[0.5, -0.5], [-1.0, 0.25]])
W_IH = np.arange(18.0).reshape(6, 3) / 10 - 0.8
W_HH = 0.6 - np.arange(12.0).reshape(6, 2) / 10
B_IH = np.array([0.1, -0.1, 0.2, -0.2, 0.3, -0.3])
B_HH = np.array([-0.2, 0.2, 0.1, -0.1, 0.4, -0.4])


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("cell", points=1)
def test_worked_example_gru_cell(learner):
    got = learner.gru_cell(WX, WH, W_IH, W_HH, B_IH, B_HH)
    expected = [[0.395710773296358, -0.6438408441788165], [-0.4376056895101095, -0.3440949779851547]]
    checks.array_close(
        got, expected, learner.last_call, rtol=RTOL, atol=ATOL, oracle=CELL, hint=HINT_EQUATIONS
    )


@pytest.mark.task("cell", points=1)
def test_zero_weights_halve_the_state(learner):
    h = np.array([[0.5, -1.0], [2.0, 0.0], [-0.25, 4.0]])
    got = learner.gru_cell(np.ones((3, 4)), h, np.zeros((6, 4)), np.zeros((6, 2)))
    checks.array_close(
        got,
        0.5 * h,
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        hint="with all weights and biases zero, r = z = sigmoid(0) = 0.5 and n = tanh(0) = 0, "
        "so h' = 0.5 * h",
    )


@pytest.mark.task("sequence", points=1)
def test_worked_example_gru_forward(learner):
    x = np.array([[[1.0, 0.0, -1.0]], [[0.5, 0.5, 0.5]], [[-1.0, 2.0, 0.0]]])  # T=3, N=1, I=3
    result = learner.gru_forward(x, None, W_IH, W_HH, B_IH, B_HH)
    out, h_n = unpack_forward(result, learner.last_call, 3, 1, 2)
    expected = np.array(
        [[[0.12532584251608755, -0.37222280507899314]], [[0.4488581443352215, 0.1373896313939289]],
         [[0.5758384618049832, 0.20211897029971315]]]
    )  # fmt: skip
    hint = "start from zeros and feed each step's new state into the next step"
    checks.array_close(out, expected, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)
    checks.array_close(h_n, expected[-1], learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)


# -- named edge cases: gru_cell ----------------------------------------------------------------------------


@pytest.mark.task("cell", points=1)
def test_update_gate_near_one_keeps_the_state(learner):
    # Zero weights; the z chunk of b_ih (rows H:2H) is large, so z ~ 1; the n chunk of b_ih makes n ~ tanh(2).
    H, IN = 3, 2
    h = np.array([[0.3, -0.6, 0.9], [-0.2, 0.4, 0.7]])
    b_ih = np.concatenate([np.zeros(H), np.full(H, 40.0), np.full(H, 2.0)])
    got = learner.gru_cell(
        np.ones((2, IN)), h, np.zeros((3 * H, IN)), np.zeros((3 * H, H)), b_ih, np.zeros(3 * H)
    )
    checks.array_close(
        got,
        torch_cell(np.ones((2, IN)), h, np.zeros((3 * H, IN)), np.zeros((3 * H, H)), b_ih, np.zeros(3 * H)),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="in torch's convention z close to 1 KEEPS the old state: h' = (1 - z) * n + z * h; "
        "and z is the second chunk (rows H:2H) of the stacked weights, r | z | n",
    )


@pytest.mark.task("cell", points=1)
def test_nonzero_bias_hh_goes_inside_the_reset_product(learner):
    # b_ih = 0 and zero input weights: n = tanh(r * (W_hn h + b_hn)), so b_hn must be scaled by r too.
    N, IN, H = 3, 4, 2
    _, W_hh, _, b_hh = params(11, IN, H)
    h = gen(12).normal(size=(N, H))
    x = gen(13).normal(size=(N, IN))
    W_ih, b_ih = np.zeros((3 * H, IN)), np.zeros(3 * H)
    got = learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    checks.array_close(
        got,
        torch_cell(x, h, W_ih, W_hh, b_ih, b_hh),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="the reset gate multiplies the whole hidden term, bias included: n = tanh(W_in x + b_in + "
        "r * (W_hn h + b_hn)), not r * (W_hn h) + b_hn",
    )


@pytest.mark.task("cell", points=1)
def test_nonzero_state_reset_applies_after_the_matmul(learner):
    N, IN, H = 3, 4, 5
    W_ih, W_hh, b_ih, b_hh = params(21, IN, H)
    x, h = gen(22).normal(size=(N, IN)), gen(23).normal(size=(N, H))
    got = learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    checks.array_close(
        got,
        torch_cell(x, h, W_ih, W_hh, b_ih, b_hh),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="torch applies the reset gate after the matmul, r * (W_hn h + b_hn), not W_hn (r * h) as in Cho "
        "et al. 2014; check too that W_ih is used as x @ W_ih.T (it is (3H, I))",
    )


@pytest.mark.task("cell", points=1)
def test_none_biases_mean_zeros(learner):
    N, IN, H = 2, 3, 4
    W_ih, W_hh, _, _ = params(31, IN, H)
    x, h = gen(32).normal(size=(N, IN)), gen(33).normal(size=(N, H))
    expected = torch_cell(x, h, W_ih, W_hh)
    hint = "b_ih=None and b_hh=None mean zero biases"
    got = learner.gru_cell(x, h, W_ih, W_hh, None, None)
    checks.array_close(got, expected, learner.last_call, rtol=RTOL, atol=ATOL, oracle=CELL, hint=hint)
    got = learner.gru_cell(x, h, W_ih, W_hh)
    checks.array_close(got, expected, learner.last_call, rtol=RTOL, atol=ATOL, oracle=CELL, hint=hint)


@pytest.mark.task("cell", points=1)
@pytest.mark.parametrize("given_bias", ["b_ih", "b_hh"])
def test_one_bias_given(learner, given_bias):
    N, IN, H = 3, 2, 4
    W_ih, W_hh, b_ih, b_hh = params(41, IN, H)
    x, h = gen(42).normal(size=(N, IN)), gen(43).normal(size=(N, H))
    if given_bias == "b_ih":
        got = learner.gru_cell(x, h, W_ih, W_hh, b_ih=b_ih)
        expected = torch_cell(x, h, W_ih, W_hh, b_ih, None)
    else:
        got = learner.gru_cell(x, h, W_ih, W_hh, b_hh=b_hh)
        expected = torch_cell(x, h, W_ih, W_hh, None, b_hh)
    checks.array_close(
        got,
        expected,
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint=f"only {given_bias} is given: the other bias is zero; b_ih is added to x @ W_ih.T and b_hh to "
        "h @ W_hh.T (so b_hn sits inside the reset product)",
    )


@pytest.mark.task("cell", points=1)
def test_hidden_size_one(learner):
    N, IN, H = 4, 3, 1
    W_ih, W_hh, b_ih, b_hh = params(51, IN, H)
    x, h = gen(52).normal(size=(N, IN)), gen(53).normal(size=(N, H))
    got = learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    checks.array_close(
        got,
        torch_cell(x, h, W_ih, W_hh, b_ih, b_hh),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="with H = 1 each gate is one row: W_ih is (3, I), W_hh is (3, 1), and the result is (N, 1)",
    )


@pytest.mark.task("cell", points=1)
def test_saturated_gates_stay_finite(learner):
    # Pre-activations in the hundreds: sigmoid must give 0 or 1, never nan
    # (exp(a) / (1 + exp(a)) is inf / inf).
    N, IN, H = 3, 4, 3
    W_ih, W_hh, b_ih, b_hh = params(61, IN, H, scale=30.0)
    x, h = gen(62).normal(size=(N, IN)) * 20.0, np.tanh(gen(63).normal(size=(N, H)))
    got = learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    checks.array_close(
        got,
        torch_cell(x, h, W_ih, W_hh, b_ih, b_hh),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="for large |a| a sigmoid must saturate to exactly 0 or 1: 1 / (1 + exp(-a)) does, "
        "exp(a) / (1 + exp(a)) gives inf / inf = nan",
    )


@pytest.mark.task("cell", points=1)
def test_float32_inputs(learner):
    N, IN, H = 3, 4, 5
    W_ih, W_hh, b_ih, b_hh = (a.astype(np.float32) for a in params(71, IN, H, scale=0.7))
    x = gen(72).normal(size=(N, IN)).astype(np.float32)
    h = gen(73).normal(size=(N, H)).astype(np.float32)
    hint = "float32 in, float32 precision out: compute with the arrays you are given"
    got = learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    checks.array_close(
        got,
        torch_cell(x, h, W_ih, W_hh, b_ih, b_hh),
        learner.last_call,
        rtol=0,
        atol=F32_ATOL,
        oracle=CELL,
        hint=hint,
    )


# -- named edge cases: unbatched input ---------------------------------------------------------------------


@pytest.mark.task("batching", points=1)
def test_unbatched_input_gives_a_hidden_vector(learner):
    IN, H = 3, 4
    W_ih, W_hh, b_ih, b_hh = params(81, IN, H)
    x, h = gen(82).normal(size=IN), gen(83).normal(size=H)
    got = learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    checks.array_close(
        got,
        torch_cell(x, h, W_ih, W_hh, b_ih, b_hh),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="x of shape (I,) and h of shape (H,) are one unbatched row: the result has h's shape, (H,)",
    )


# -- named edge cases: gru_forward ------------------------------------------------------------------------


@pytest.mark.task("sequence", points=1)
def test_h0_none_means_zeros(learner):
    T, N, IN, H = 4, 3, 2, 5
    W_ih, W_hh, b_ih, b_hh = params(91, IN, H)
    x = gen(92).normal(size=(T, N, IN))
    out, h_n = unpack_forward(
        learner.gru_forward(x, None, W_ih, W_hh, b_ih, b_hh), learner.last_call, T, N, H
    )
    want_out, want_h_n = torch_gru(x, None, W_ih, W_hh, b_ih, b_hh)
    hint = "h0=None means a zero initial state of shape (N, H), H read from W_hh"
    checks.array_close(out, want_out, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)
    checks.array_close(h_n, want_h_n, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)


@pytest.mark.task("sequence", points=1)
def test_batch_first_layout(learner):
    N, T, IN, H = 2, 5, 3, 4
    W_ih, W_hh, b_ih, b_hh = params(101, IN, H)
    x = gen(102).normal(size=(N, T, IN))
    h0 = gen(103).normal(size=(N, H))
    result = learner.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh, batch_first=True)
    out, h_n = unpack_forward(result, learner.last_call, T, N, H, batch_first=True)
    want_out, want_h_n = torch_gru(x, h0, W_ih, W_hh, b_ih, b_hh, batch_first=True)
    hint = (
        "with batch_first=True, x is (N, T, I) and out is (N, T, H): swap the first two axes (a transpose, "
        "not a reshape) on the way in and on the way out; h_n stays (N, H)"
    )
    checks.array_close(out, want_out, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)
    checks.array_close(h_n, want_h_n, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)


@pytest.mark.task("sequence", points=1)
def test_long_sequence_matches_a_loop_of_torch_gru_cells(learner):
    T, N, IN, H = 300, 3, 4, 6
    W_ih, W_hh, b_ih, b_hh = params(111, IN, H, scale=0.6)
    x = gen(112).normal(size=(T, N, IN))
    h0 = gen(113).normal(size=(N, H))
    out, h_n = unpack_forward(learner.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh), learner.last_call, T, N, H)
    h = h0
    steps = []
    for t in range(T):
        h = torch_cell(x[t], h, W_ih, W_hh, b_ih, b_hh)
        steps.append(h)
    hint = "each step is gru_cell(x[t], h) with h the state the previous step produced (h0 only at t = 0)"
    checks.array_close(
        out,
        np.stack(steps),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle="a loop of torch.nn.GRUCell",
        hint=hint,
    )
    checks.array_close(
        h_n,
        steps[-1],
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle="a loop of torch.nn.GRUCell",
        hint=hint,
    )


@pytest.mark.task("sequence", points=1)
def test_float32_sequence(learner):
    T, N, IN, H = 12, 3, 4, 5
    W_ih, W_hh, b_ih, b_hh = (a.astype(np.float32) for a in params(76, IN, H, scale=0.7))
    x = gen(77).normal(size=(T, N, IN)).astype(np.float32)
    h0 = gen(78).normal(size=(N, H)).astype(np.float32)
    out, h_n = unpack_forward(learner.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh), learner.last_call, T, N, H)
    want_out, want_h_n = torch_gru(x, h0, W_ih, W_hh, b_ih, b_hh)
    hint = "float32 in, float32 precision out: compute with the arrays you are given"
    checks.array_close(out, want_out, learner.last_call, rtol=0, atol=F32_ATOL, oracle=GRU, hint=hint)
    checks.array_close(h_n, want_h_n, learner.last_call, rtol=0, atol=F32_ATOL, oracle=GRU, hint=hint)


# -- agreement with torch on generated inputs --------------------------------------------------------------

VALUES = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
BIASES = st.sampled_from(["both", "both", "both", "none", "b_ih only", "b_hh only"])


def pick_biases(which: str, b_ih: np.ndarray, b_hh: np.ndarray):
    return (
        None if which in ("none", "b_hh only") else b_ih,
        None if which in ("none", "b_ih only") else b_hh,
    )


@st.composite
def cell_cases(draw, batched: bool = True):
    N = draw(st.integers(1, 5))
    IN = draw(st.integers(1, 6))
    H = draw(st.integers(1, 6))
    lead = (N,) if batched else ()
    x = draw(hnp.arrays(np.float64, (*lead, IN), elements=VALUES))
    h = draw(hnp.arrays(np.float64, (*lead, H), elements=VALUES.map(np.tanh)))
    scale = draw(st.sampled_from([0.3, 1.0, 2.5]))
    W_ih, W_hh, b_ih, b_hh = params(draw(st.integers(0, 2**32 - 1)), IN, H, scale)
    b_ih, b_hh = pick_biases(draw(BIASES), b_ih, b_hh)
    return x, h, W_ih, W_hh, b_ih, b_hh


@pytest.mark.task("cell", points=3)
@settings(max_examples=50)
@given(case=cell_cases())
def test_gru_cell_matches_torch(learner, case):
    got = learner.gru_cell(*case)
    checks.array_close(
        got, torch_cell(*case), learner.last_call, rtol=RTOL, atol=ATOL, oracle=CELL, hint=HINT_EQUATIONS
    )


@pytest.mark.task("batching", points=1)
@settings(max_examples=20)
@given(case=cell_cases(batched=False))
def test_unbatched_gru_cell_matches_torch(learner, case):
    got = learner.gru_cell(*case)
    checks.array_close(
        got,
        torch_cell(*case),
        learner.last_call,
        rtol=RTOL,
        atol=ATOL,
        oracle=CELL,
        hint="x (I,) with h (H,) is one unbatched step; the result is (H,)",
    )


@st.composite
def sequence_cases(draw):
    T = draw(st.integers(1, 8))
    N = draw(st.integers(1, 4))
    IN = draw(st.integers(1, 5))
    H = draw(st.integers(1, 5))
    batch_first = draw(st.booleans())
    x = draw(hnp.arrays(np.float64, (N, T, IN) if batch_first else (T, N, IN), elements=VALUES))
    h0 = draw(st.none() | hnp.arrays(np.float64, (N, H), elements=VALUES.map(np.tanh)))
    scale = draw(st.sampled_from([0.3, 1.0, 2.0]))
    W_ih, W_hh, b_ih, b_hh = params(draw(st.integers(0, 2**32 - 1)), IN, H, scale)
    b_ih, b_hh = pick_biases(draw(BIASES), b_ih, b_hh)
    return (T, N, H), (x, h0, W_ih, W_hh, b_ih, b_hh), batch_first


@pytest.mark.task("sequence", points=3)
@settings(max_examples=40)
@given(case=sequence_cases())
def test_gru_forward_matches_torch_gru(learner, case):
    (T, N, H), args, batch_first = case
    result = learner.gru_forward(*args, batch_first=batch_first)
    out, h_n = unpack_forward(result, learner.last_call, T, N, H, batch_first=batch_first)
    want_out, want_h_n = torch_gru(*args, batch_first=batch_first)
    hint = (
        "run gru_cell over the steps, carrying the state, starting from h0 (zeros if None); "
        "out stacks every step's state, h_n is the last one"
    )
    checks.array_close(out, want_out, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)
    checks.array_close(h_n, want_h_n, learner.last_call, rtol=RTOL, atol=ATOL, oracle=GRU, hint=hint)


# -- invariants --------------------------------------------------------------------------------------------


@pytest.mark.task("batching", points=2)
@settings(max_examples=20)
@given(case=cell_cases())
def test_each_batch_row_equals_the_unbatched_call(learner, case):
    x, h, W_ih, W_hh, b_ih, b_hh = case
    batched = checks.as_array(learner.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh), learner.last_call)
    if batched.shape != h.shape:
        checks.fail(learner.last_call, f"Returned shape {batched.shape}", f"h's shape {h.shape}")
    for i in range(x.shape[0]):
        row = learner.gru_cell(x[i], h[i], W_ih, W_hh, b_ih, b_hh)
        checks.array_close(
            row,
            batched[i],
            learner.last_call,
            rtol=RTOL,
            atol=ATOL,
            oracle=f"row {i} of your batched call",
            hint="a batch is N independent rows: gru_cell(x[i], h[i]) must equal gru_cell(x, h)[i], "
            "and an unbatched call returns shape (H,)",
        )


@pytest.mark.task("sequence", points=1)
def test_h_n_is_the_last_output(learner):
    T, N, IN, H = 6, 4, 3, 2
    W_ih, W_hh, b_ih, b_hh = params(121, IN, H)
    x, h0 = gen(122).normal(size=(T, N, IN)), gen(123).normal(size=(N, H))
    out, h_n = unpack_forward(learner.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh), learner.last_call, T, N, H)
    checks.array_close(
        h_n,
        out[-1],
        learner.last_call,
        rtol=0,
        atol=1e-12,
        oracle="out[-1], your own last step",
        hint="h_n is the state after the LAST step, which is also out[-1] (out[:, -1] with batch_first)",
    )


@pytest.mark.task("sequence", points=1)
def test_sequence_rows_are_independent(learner):
    T, N, IN, H = 5, 3, 2, 4
    W_ih, W_hh, b_ih, b_hh = params(131, IN, H)
    x, h0 = gen(132).normal(size=(T, N, IN)), gen(133).normal(size=(N, H))
    out, _ = unpack_forward(learner.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh), learner.last_call, T, N, H)
    for i in range(N):
        alone, _ = unpack_forward(
            learner.gru_forward(x[:, i : i + 1], h0[i : i + 1], W_ih, W_hh, b_ih, b_hh),
            learner.last_call,
            T,
            1,
            H,
        )
        checks.array_close(
            out[:, i : i + 1],
            alone,
            learner.last_call,
            rtol=RTOL,
            atol=ATOL,
            oracle=f"column {i} of your batched out",
            hint="each sequence in the batch evolves on its own; no state is shared between rows",
        )


# -- error contract ----------------------------------------------------------------------------------------

EN, EI, EH, ET = 2, 3, 4, 5  # batch, input, hidden, steps for the error cases


@pytest.fixture
def good():
    W_ih, W_hh, b_ih, b_hh = params(141, EI, EH)
    return {
        "x": gen(142).normal(size=(EN, EI)),
        "h": gen(143).normal(size=(EN, EH)),
        "seq": gen(144).normal(size=(ET, EN, EI)),
        "W_ih": W_ih,
        "W_hh": W_hh,
        "b_ih": b_ih,
        "b_hh": b_hh,
    }


@pytest.mark.task("errors", points=1)
def test_input_size_mismatch_raises(learner, good):
    g = good
    hint = "W_ih is (3H, I): x's last axis must be I"
    with checks.raises(ValueError, "gru_cell(x of shape (2, 5), h, W_ih of shape (12, 3), ...)", hint=hint):
        learner.gru_cell(np.ones((EN, EI + 2)), g["h"], g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])
    with checks.raises(
        ValueError, "gru_forward(x of shape (5, 2, 5), h0, W_ih of shape (12, 3), ...)", hint=hint
    ):
        learner.gru_forward(np.ones((ET, EN, EI + 2)), g["h"], g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])


@pytest.mark.task("errors", points=1)
def test_hidden_size_mismatch_raises(learner, good):
    g = good
    hint = "W_hh is (3H, H): h's last axis must be H"
    with checks.raises(
        ValueError, "gru_cell(x, h of shape (2, 6), W_ih, W_hh of shape (12, 4), ...)", hint=hint
    ):
        learner.gru_cell(g["x"], np.ones((EN, EH + 2)), g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])
    with checks.raises(
        ValueError, "gru_forward(x, h0 of shape (2, 6), W_ih, W_hh of shape (12, 4), ...)", hint=hint
    ):
        learner.gru_forward(g["seq"], np.ones((EN, EH + 2)), g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])


@pytest.mark.task("errors", points=1)
@pytest.mark.parametrize("weight", ["W_ih", "W_hh"])
def test_weights_must_have_3H_rows(learner, good, weight):
    g = dict(good)
    # Three extra rows: still a multiple of 3, so only a check against H = h.shape[-1] sees it.
    extra = np.ones((3, g[weight].shape[1]))
    g[weight] = np.vstack([g[weight], extra])
    label = f"gru_cell(x, h of shape (2, 4), ..., {weight} of shape {g[weight].shape}, ...)"
    hint = f"{weight} must have exactly 3H rows (r | z | n), H = h.shape[-1]; raise ValueError otherwise"
    with checks.raises(ValueError, label, hint=hint):
        learner.gru_cell(g["x"], g["h"], g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])
    with checks.raises(ValueError, label.replace("gru_cell(x, h", "gru_forward(x, h0"), hint=hint):
        learner.gru_forward(g["seq"], g["h"], g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])


@pytest.mark.task("errors", points=1)
def test_biases_must_have_3H_entries(learner, good):
    g = good
    hint = "b_ih and b_hh must have shape (3H,); raise ValueError otherwise"
    longer = np.ones(3 * EH + 3)
    with checks.raises(
        ValueError, "gru_cell(x, h of shape (2, 4), W_ih, W_hh, b_ih of shape (15,))", hint=hint
    ):
        learner.gru_cell(g["x"], g["h"], g["W_ih"], g["W_hh"], longer, g["b_hh"])
    with checks.raises(
        ValueError, "gru_cell(x, h of shape (2, 4), W_ih, W_hh, b_ih, b_hh of shape (15,))", hint=hint
    ):
        learner.gru_cell(g["x"], g["h"], g["W_ih"], g["W_hh"], g["b_ih"], longer)


@pytest.mark.task("errors", points=1)
def test_batch_size_mismatch_raises(learner, good):
    g = good
    hint = "x and h must have the same batch size N (torch refuses to broadcast a batch of 1)"
    with checks.raises(ValueError, "gru_cell(x of shape (1, 3), h of shape (3, 4), ...)", hint=hint):
        learner.gru_cell(np.ones((1, EI)), np.ones((3, EH)), g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])
    with checks.raises(ValueError, "gru_cell(x of shape (3, 3), h of shape (2, 4), ...)", hint=hint):
        learner.gru_cell(np.ones((3, EI)), g["h"], g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])
    with checks.raises(ValueError, "gru_forward(x of shape (5, 2, 3), h0 of shape (1, 4), ...)", hint=hint):
        learner.gru_forward(g["seq"], np.ones((1, EH)), g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])


@pytest.mark.task("errors", points=1)
def test_gru_cell_rejects_inputs_of_the_wrong_rank(learner, good):
    g = good
    weights = (g["W_ih"], g["W_hh"], g["b_ih"], g["b_hh"])
    with checks.raises(
        ValueError,
        "gru_cell(x of shape (5, 2, 3), h of shape (2, 4), ...)",
        hint="gru_cell takes one step: x is (N, I) or (I,); sequences go to gru_forward",
    ):
        learner.gru_cell(g["seq"], g["h"], *weights)
    hint = "x and h are both batched, (N, I) and (N, H), or both unbatched, (I,) and (H,); do not broadcast"
    with checks.raises(ValueError, "gru_cell(x of shape (3,), h of shape (2, 4), ...)", hint=hint):
        learner.gru_cell(g["x"][0], g["h"], *weights)
    with checks.raises(ValueError, "gru_cell(x of shape (2, 3), h of shape (4,), ...)", hint=hint):
        learner.gru_cell(g["x"], g["h"][0], *weights)

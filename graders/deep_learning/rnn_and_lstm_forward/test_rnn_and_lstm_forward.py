"""Hidden grader for rnn_and_lstm_forward.

Oracles: ``torch.nn.RNN``, ``torch.nn.LSTMCell`` and ``torch.nn.LSTM`` in float64 (torch 2.13), built with every
parameter pinned (bias=True, dropout=0.0, bidirectional=False, proj_size=0, batch_first as asked) and the learner's
weights copied in; ``None`` biases become zeros and ``None`` states are passed as ``None`` (torch's zeros). Every
generated case has distinct T, N, I and H (a transposed axis cannot go unnoticed), non-zero biases in both b_ih and
b_hh, and non-zero initial states where states are given.
"""

# ruff: noqa: E741  (T, N, I, H, L: the sizes as the README names them)

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

TOL = {"rtol": 1e-5, "atol": 1e-5}
GATE_HINT = (
    "torch stacks the gates i | f | g | o along the rows of W_ih and W_hh (rows 0:H input, H:2H forget, "
    "2H:3H cell candidate, 3H:4H output); g goes through tanh, the others through a sigmoid; "
    "c' = f*c + i*g and h' = o*tanh(c')"
)

# Distinct T, N, I, H so that any swapped axis changes a shape or a value.
distinct_sizes = st.lists(st.integers(1, 6), min_size=4, max_size=4, unique=True)
seeds = st.integers(0, 2**32 - 1)


# -- oracles (trusted side, float64) ----------------------------------------------------------------------


def _t(a: np.ndarray | None) -> torch.Tensor | None:
    return None if a is None else torch.from_numpy(np.asarray(a, dtype=np.float64))


def _copy(param: torch.Tensor, value: np.ndarray | None) -> None:
    param.copy_(
        torch.zeros_like(param) if value is None else torch.from_numpy(np.asarray(value, dtype=np.float64))
    )


def torch_rnn(  # noqa: PLR0917 (mirrors rnn_forward)
    x: np.ndarray,
    h0: np.ndarray | None,
    W_ih: np.ndarray,
    W_hh: np.ndarray,
    b_ih: np.ndarray | None,
    b_hh: np.ndarray | None,
    nonlinearity: str = "tanh",
    batch_first: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    hidden, features = W_ih.shape
    rnn = torch.nn.RNN(
        features,
        hidden,
        num_layers=1,
        nonlinearity=nonlinearity,
        bias=True,
        batch_first=batch_first,
        dropout=0.0,
        bidirectional=False,
        dtype=torch.float64,
    )
    with torch.no_grad():
        _copy(rnn.weight_ih_l0, W_ih)
        _copy(rnn.weight_hh_l0, W_hh)
        _copy(rnn.bias_ih_l0, b_ih)
        _copy(rnn.bias_hh_l0, b_hh)
        hx = None if h0 is None else _t(h0).unsqueeze(0)  # type: ignore[union-attr]
        out, h_n = rnn(_t(x), hx)
    return out.numpy(), h_n.squeeze(0).numpy()


def torch_lstm_cell(  # noqa: PLR0917 (mirrors lstm_cell)
    x: np.ndarray,
    h: np.ndarray,
    c: np.ndarray,
    W_ih: np.ndarray,
    W_hh: np.ndarray,
    b_ih: np.ndarray | None,
    b_hh: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    four_h, features = W_ih.shape
    cell = torch.nn.LSTMCell(features, four_h // 4, bias=True, dtype=torch.float64)
    with torch.no_grad():
        _copy(cell.weight_ih, W_ih)
        _copy(cell.weight_hh, W_hh)
        _copy(cell.bias_ih, b_ih)
        _copy(cell.bias_hh, b_hh)
        h_new, c_new = cell(_t(x), (_t(h), _t(c)))
    return h_new.numpy(), c_new.numpy()


def torch_lstm(
    x: np.ndarray,
    h0: np.ndarray | None,
    c0: np.ndarray | None,
    layers: list[dict[str, Any]],
    batch_first: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    four_h, features = layers[0]["W_ih"].shape
    hidden = four_h // 4
    lstm = torch.nn.LSTM(
        features,
        hidden,
        num_layers=len(layers),
        bias=True,
        batch_first=batch_first,
        dropout=0.0,
        bidirectional=False,
        proj_size=0,
        dtype=torch.float64,
    )
    with torch.no_grad():
        for k, layer in enumerate(layers):
            _copy(getattr(lstm, f"weight_ih_l{k}"), layer["W_ih"])
            _copy(getattr(lstm, f"weight_hh_l{k}"), layer["W_hh"])
            _copy(getattr(lstm, f"bias_ih_l{k}"), layer.get("b_ih"))
            _copy(getattr(lstm, f"bias_hh_l{k}"), layer.get("b_hh"))
        unbatched = np.ndim(x) == 2
        state_shape = (
            (len(layers), hidden) if unbatched else (len(layers), x.shape[0 if batch_first else 1], hidden)
        )
        h = torch.zeros(state_shape, dtype=torch.float64) if h0 is None else _t(h0)
        c = torch.zeros(state_shape, dtype=torch.float64) if c0 is None else _t(c0)
        out, (h_n, c_n) = lstm(_t(x), (h, c))
    return out.numpy(), h_n.numpy(), c_n.numpy()


# -- generated parameters ---------------------------------------------------------------------------------


def rnn_params(
    gen: np.random.Generator, features: int, hidden: int, scale: float = 0.8
) -> dict[str, np.ndarray]:
    return {
        "W_ih": gen.uniform(-scale, scale, (hidden, features)),
        "W_hh": gen.uniform(-scale, scale, (hidden, hidden)),
        "b_ih": gen.uniform(-scale, scale, hidden),
        "b_hh": gen.uniform(-scale, scale, hidden),
    }


def lstm_params(gen: np.random.Generator, features: int, hidden: int) -> dict[str, np.ndarray]:
    return {
        "W_ih": gen.uniform(-0.9, 0.9, (4 * hidden, features)),
        "W_hh": gen.uniform(-0.9, 0.9, (4 * hidden, hidden)),
        "b_ih": gen.uniform(-0.9, 0.9, 4 * hidden),
        "b_hh": gen.uniform(-0.9, 0.9, 4 * hidden),
    }


def lstm_stack(
    gen: np.random.Generator, features: int, hidden: int, num_layers: int
) -> list[dict[str, np.ndarray]]:
    return [lstm_params(gen, features if k == 0 else hidden, hidden) for k in range(num_layers)]


# -- unpacking what came back -----------------------------------------------------------------------------


def pair(value: Any, call: str, what: str) -> tuple[Any, Any]:
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value[0], value[1]
    kind = f"a {type(value).__name__}" + (
        f" of length {len(value)}" if isinstance(value, (tuple, list)) else ""
    )
    checks.fail(call, f"Returned {kind}", what, "return a tuple, as torch does")
    raise AssertionError  # unreachable


def rnn_result(value: Any, call: str) -> tuple[Any, Any]:
    return pair(value, call, "a pair (out, h_n)")


def cell_result(value: Any, call: str) -> tuple[Any, Any]:
    return pair(value, call, "a pair (h_new, c_new)")


def lstm_result(value: Any, call: str) -> tuple[Any, Any, Any]:
    out, states = pair(value, call, "a pair (out, (h_n, c_n))")
    h_n, c_n = pair(states, call, "the second item to be a pair (h_n, c_n)")
    return out, h_n, c_n


def check_rnn(got: Any, call: str, expected: tuple[np.ndarray, np.ndarray], hint: str) -> None:
    out, h_n = rnn_result(got, call)
    checks.array_close(out, expected[0], f"{call}, item out", **TOL, oracle="torch.nn.RNN", hint=hint)
    checks.array_close(h_n, expected[1], f"{call}, item h_n", **TOL, oracle="torch.nn.RNN", hint=hint)


def check_cell(got: Any, call: str, expected: tuple[np.ndarray, np.ndarray], hint: str) -> None:
    h_new, c_new = cell_result(got, call)
    checks.array_close(
        c_new, expected[1], f"{call}, item c_new", **TOL, oracle="torch.nn.LSTMCell", hint=hint
    )
    checks.array_close(
        h_new, expected[0], f"{call}, item h_new", **TOL, oracle="torch.nn.LSTMCell", hint=hint
    )


def check_lstm(got: Any, call: str, expected: tuple[np.ndarray, np.ndarray, np.ndarray], hint: str) -> None:
    out, h_n, c_n = lstm_result(got, call)
    checks.array_close(out, expected[0], f"{call}, item out", **TOL, oracle="torch.nn.LSTM", hint=hint)
    checks.array_close(h_n, expected[1], f"{call}, item h_n", **TOL, oracle="torch.nn.LSTM", hint=hint)
    checks.array_close(c_n, expected[2], f"{call}, item c_n", **TOL, oracle="torch.nn.LSTM", hint=hint)


# -- worked examples --------------------------------------------------------------------------------------

X_EX = np.array([[1.0], [-1.0]])
W_IH_EX, W_HH_EX = np.array([[0.5], [-1.0]]), np.eye(2)
W4_EX = np.zeros((4, 1))
B4_EX = np.array([0.0, 0.0, 1.0, 0.0])


@pytest.mark.task("rnn", points=1)
def test_worked_example_rnn_tanh(learner):
    got = learner.rnn_forward(X_EX, None, W_IH_EX, W_HH_EX, None, None)
    check_rnn(
        got,
        learner.last_call,
        (
            np.array([[0.4621171573, -0.761594156], [-0.0378647311, 0.2339894385]]),
            np.array([-0.0378647311, 0.2339894385]),
        ),
        hint="h_1 = tanh(x_1 W_ih^T) = tanh([0.5, -1]); h_2 = tanh(x_2 W_ih^T + h_1 W_hh^T); h_n is the last h",
    )


@pytest.mark.task("rnn", points=1)
def test_worked_example_rnn_both_biases(learner):
    got = learner.rnn_forward(X_EX, None, W_IH_EX, W_HH_EX, np.array([0.1, 0.2]), np.array([0.0, -0.3]))
    out, _ = rnn_result(got, learner.last_call)
    checks.array_close(
        out,
        [[0.537049567, -0.8004990218], [0.1361979166, 0.0991739055]],
        learner.last_call,
        **TOL,
        oracle="torch.nn.RNN",
        hint="torch adds both biases: act(x W_ih^T + b_ih + h W_hh^T + b_hh)",
    )


@pytest.mark.task("lstm_cell", points=1)
def test_worked_example_lstm_cell(learner):
    got = learner.lstm_cell(np.array([1.0]), np.array([0.0]), np.array([2.0]), W4_EX, W4_EX, B4_EX, None)
    check_cell(
        got,
        learner.last_call,
        (np.array([0.44056481]), np.array([1.38079708])),
        hint="pre-activations i=0, f=0, g=1, o=0: c' = 0.5*2 + 0.5*tanh(1), h' = 0.5*tanh(c'). " + GATE_HINT,
    )


@pytest.mark.task("lstm_forward", points=1)
def test_worked_example_lstm_forward(learner):
    layer = {"W_ih": W4_EX, "W_hh": W4_EX, "b_ih": B4_EX}
    got = learner.lstm_forward(np.zeros((2, 1)), None, None, [layer])
    check_lstm(
        got,
        learner.last_call,
        (np.array([[0.18169974], [0.2581184]]), np.array([[0.2581184]]), np.array([[0.57119562]])),
        hint="unbatched input: out is (T, H), h_n and c_n are (L, H); c_1 = 0.5*tanh(1), c_2 = 0.5*c_1 + 0.5*tanh(1)",
    )


# -- rnn_forward: named cases ---------------------------------------------------------------------------


@pytest.mark.task("rnn", points=1)
def test_rnn_batch_first_transposes_x_and_out_only(learner):
    gen = np.random.default_rng(11)
    T, N, I, H = 4, 3, 2, 5
    p = rnn_params(gen, I, H)
    x = gen.normal(size=(N, T, I))
    h0 = gen.uniform(-1, 1, (N, H))
    got = learner.rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"], batch_first=True)
    check_rnn(
        got,
        learner.last_call,
        torch_rnn(x, h0, **p, batch_first=True),
        hint="batch_first: x is (N, T, I) and out is (N, T, H); transpose axes 0 and 1 (do not reshape), and leave "
        "h0 and h_n as (N, H)",
    )


@pytest.mark.task("rnn", points=1)
def test_rnn_h0_none_means_zeros(learner):
    gen = np.random.default_rng(12)
    T, N, I, H = 3, 2, 4, 5
    p = rnn_params(gen, I, H)
    x = gen.normal(size=(T, N, I))
    got = learner.rnn_forward(x, None, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_rnn(got, learner.last_call, torch_rnn(x, None, **p), hint="h0=None starts from a zero hidden state")


@pytest.mark.task("rnn", points=1)
@pytest.mark.parametrize("which", ["b_ih", "b_hh"])
def test_rnn_adds_both_biases(learner, which):
    gen = np.random.default_rng(13)
    T, N, I, H = 3, 2, 4, 5
    p = rnn_params(gen, I, H)
    other = "b_hh" if which == "b_ih" else "b_ih"
    p[other] = None  # type: ignore[assignment]
    x = gen.normal(size=(T, N, I))
    h0 = gen.uniform(-1, 1, (N, H))
    got = learner.rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_rnn(
        got,
        learner.last_call,
        torch_rnn(x, h0, **p),
        hint=f"only {which} is non-zero here ({other}=None means zeros); torch adds b_ih and b_hh at every step",
    )


@pytest.mark.task("rnn", points=1)
def test_rnn_unbatched_is_a_batch_of_one_without_the_axis(learner):
    gen = np.random.default_rng(14)
    T, I, H = 5, 3, 4
    p = rnn_params(gen, I, H)
    x = gen.normal(size=(T, I))
    h0 = gen.uniform(-1, 1, H)
    got = learner.rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_rnn(
        got,
        learner.last_call,
        torch_rnn(x, h0, **p),
        hint="a 2-D x is one unbatched sequence (T, I): out is (T, H) and h_n is (H,), with no batch axis",
    )
    batched = learner.rnn_forward(x[:, None, :], h0[None], p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    out_b, h_b = rnn_result(batched, learner.last_call)
    out_u, h_u = rnn_result(got, "rnn_forward(x, h0, ...) unbatched")
    checks.array_close(
        out_u,
        checks.as_array(out_b, learner.last_call)[:, 0, :],
        "rnn_forward on x (T, I) versus on x[:, None, :] (T, 1, I)",
        **TOL,
        hint="the unbatched result is the batch-of-one result with the batch axis removed",
    )
    checks.array_close(
        h_u,
        checks.as_array(h_b, learner.last_call)[0],
        "rnn_forward on x (T, I) versus on x[:, None, :] (T, 1, I): h_n",
        **TOL,
        hint="the unbatched result is the batch-of-one result with the batch axis removed",
    )


@pytest.mark.task("rnn", points=1)
@pytest.mark.parametrize(("T", "N"), [(1, 3), (4, 1)], ids=["seq_len_1", "batch_1"])
def test_rnn_single_step_and_single_sequence(learner, T, N):
    gen = np.random.default_rng(15 + T)
    I, H = 2, 5
    p = rnn_params(gen, I, H)
    x = gen.normal(size=(T, N, I))
    h0 = gen.uniform(-1, 1, (N, H))
    got = learner.rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_rnn(
        got,
        learner.last_call,
        torch_rnn(x, h0, **p),
        hint="size-1 axes stay in the result: out is (T, N, H) and h_n is (N, H), even when T or N is 1",
    )


# -- rnn_forward: agreement with torch.nn.RNN ---------------------------------------------------------------


@pytest.mark.task("rnn", points=2)
@settings(max_examples=30, deadline=None)
@given(sizes=distinct_sizes, seed=seeds, batch_first=st.booleans(), with_h0=st.booleans())
def test_rnn_tanh_matches_torch(learner, sizes, seed, batch_first, with_h0):
    T, N, I, H = sizes
    gen = np.random.default_rng(seed)
    p = rnn_params(gen, I, H)
    x = gen.normal(size=(N, T, I) if batch_first else (T, N, I))
    h0 = gen.uniform(-1, 1, (N, H)) if with_h0 else None
    got = learner.rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"], "tanh", batch_first)
    check_rnn(
        got,
        learner.last_call,
        torch_rnn(x, h0, **p, nonlinearity="tanh", batch_first=batch_first),
        hint="h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), carrying h from each step to the next",
    )


@pytest.mark.task("rnn", points=1)
@settings(max_examples=25, deadline=None)
@given(sizes=distinct_sizes, seed=seeds)
def test_rnn_relu_matches_torch(learner, sizes, seed):
    T, N, I, H = sizes
    gen = np.random.default_rng(seed)
    p = rnn_params(gen, I, H, scale=0.5)
    x = gen.normal(size=(T, N, I))
    h0 = gen.uniform(-1, 1, (N, H))
    got = learner.rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"], nonlinearity="relu")
    check_rnn(
        got,
        learner.last_call,
        torch_rnn(x, h0, **p, nonlinearity="relu"),
        hint="nonlinearity='relu' replaces tanh by max(z, 0) at every step",
    )


# -- lstm_cell ------------------------------------------------------------------------------------------


@pytest.mark.task("lstm_cell", points=1)
def test_lstm_cell_gate_order_is_i_f_g_o(learner):
    # Zero weights, so the biases alone set four different pre-activations: i=0.5, f=-1, g=2, o=1.5.
    W = np.zeros((4, 1))
    b_ih = np.array([0.5, -1.0, 2.0, 1.5])
    h, c = np.array([[0.3]]), np.array([[-0.7]])
    got = learner.lstm_cell(np.array([[1.0]]), h, c, W, W, b_ih, np.zeros(4))
    check_cell(got, learner.last_call, torch_lstm_cell(np.array([[1.0]]), h, c, W, W, b_ih, None), GATE_HINT)


@pytest.mark.task("lstm_cell", points=3)
@settings(max_examples=40, deadline=None)
@given(sizes=distinct_sizes, seed=seeds)
def test_lstm_cell_matches_torch(learner, sizes, seed):
    _, N, I, H = sizes
    gen = np.random.default_rng(seed)
    p = lstm_params(gen, I, H)
    x = gen.normal(size=(N, I))
    h, c = gen.uniform(-1, 1, (N, H)), gen.uniform(-2, 2, (N, H))
    got = learner.lstm_cell(x, h, c, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_cell(got, learner.last_call, torch_lstm_cell(x, h, c, **p), GATE_HINT)


@pytest.mark.task("lstm_cell", points=1)
@pytest.mark.parametrize("which", ["b_ih", "b_hh"])
def test_lstm_cell_adds_both_biases(learner, which):
    gen = np.random.default_rng(21)
    N, I, H = 2, 3, 4
    p = lstm_params(gen, I, H)
    p["b_hh" if which == "b_ih" else "b_ih"] = np.zeros(4 * H)
    x = gen.normal(size=(N, I))
    h, c = gen.uniform(-1, 1, (N, H)), gen.uniform(-1, 1, (N, H))
    got = learner.lstm_cell(x, h, c, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_cell(
        got,
        learner.last_call,
        torch_lstm_cell(x, h, c, **p),
        hint=f"only {which} is non-zero here; torch adds both b_ih and b_hh to the gate pre-activations",
    )


@pytest.mark.task("lstm_cell", points=1)
def test_lstm_cell_unbatched(learner):
    gen = np.random.default_rng(22)
    I, H = 3, 2
    p = lstm_params(gen, I, H)
    x, h, c = gen.normal(size=I), gen.uniform(-1, 1, H), gen.uniform(-1, 1, H)
    got = learner.lstm_cell(x, h, c, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
    check_cell(
        got,
        learner.last_call,
        torch_lstm_cell(x, h, c, **p),
        hint="a 1-D x (I,) with 1-D h and c (H,) is one unbatched step: return (H,) states, with no batch axis",
    )


@pytest.mark.task("lstm_cell", points=1)
def test_lstm_cell_none_biases_are_zeros(learner):
    gen = np.random.default_rng(23)
    N, I, H = 3, 2, 4
    p = lstm_params(gen, I, H)
    x = gen.normal(size=(N, I))
    h, c = gen.uniform(-1, 1, (N, H)), gen.uniform(-1, 1, (N, H))
    got = learner.lstm_cell(x, h, c, p["W_ih"], p["W_hh"], None, None)
    check_cell(
        got,
        learner.last_call,
        torch_lstm_cell(x, h, c, p["W_ih"], p["W_hh"], None, None),
        hint="b_ih=None and b_hh=None mean zero biases (torch's bias=False)",
    )


# -- lstm_forward: named cases ----------------------------------------------------------------------------


@pytest.mark.task("lstm_forward", points=1)
def test_lstm_forward_batch_first_transposes_x_and_out_only(learner):
    gen = np.random.default_rng(31)
    T, N, I, H, L = 4, 3, 2, 5, 2
    layers = lstm_stack(gen, I, H, L)
    x = gen.normal(size=(N, T, I))
    h0, c0 = gen.uniform(-1, 1, (L, N, H)), gen.uniform(-1, 1, (L, N, H))
    got = learner.lstm_forward(x, h0, c0, layers, batch_first=True)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, h0, c0, layers, batch_first=True),
        hint="batch_first: x is (N, T, I) and out is (N, T, H), a transpose of axes 0 and 1 (not a reshape); "
        "h0, c0, h_n and c_n stay (L, N, H)",
    )


@pytest.mark.task("lstm_forward", points=1)
def test_lstm_forward_default_states_are_zeros(learner):
    gen = np.random.default_rng(32)
    T, N, I, H, L = 3, 2, 4, 3, 2
    layers = lstm_stack(gen, I, H, L)
    x = gen.normal(size=(T, N, I))
    got = learner.lstm_forward(x, None, None, layers)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, None, None, layers),
        hint="h0=None and c0=None start every layer from zero hidden and cell states",
    )


@pytest.mark.task("lstm_forward", points=1)
def test_lstm_forward_missing_biases_are_zeros(learner):
    gen = np.random.default_rng(33)
    T, N, I, H, L = 3, 2, 4, 3, 2
    layers = lstm_stack(gen, I, H, L)
    del layers[0]["b_hh"]
    layers[1]["b_ih"] = None  # type: ignore[assignment]
    x = gen.normal(size=(T, N, I))
    h0, c0 = gen.uniform(-1, 1, (L, N, H)), gen.uniform(-1, 1, (L, N, H))
    got = learner.lstm_forward(x, h0, c0, layers)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, h0, c0, layers),
        hint="a bias left out of a layer dict, or given as None, is zeros",
    )


@pytest.mark.task("lstm_forward", points=1)
def test_lstm_forward_unbatched(learner):
    gen = np.random.default_rng(34)
    T, I, H, L = 4, 3, 2, 2
    layers = lstm_stack(gen, I, H, L)
    x = gen.normal(size=(T, I))
    h0, c0 = gen.uniform(-1, 1, (L, H)), gen.uniform(-1, 1, (L, H))
    got = learner.lstm_forward(x, h0, c0, layers)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, h0, c0, layers),
        hint="a 2-D x (T, I) is one unbatched sequence: h0, c0, h_n, c_n are (L, H) and out is (T, H)",
    )


@pytest.mark.task("lstm_forward", points=1)
def test_lstm_forward_one_step_one_sequence(learner):
    gen = np.random.default_rng(35)
    T, N, I, H, L = 1, 1, 3, 2, 2
    layers = lstm_stack(gen, I, H, L)
    x = gen.normal(size=(T, N, I))
    h0, c0 = gen.uniform(-1, 1, (L, N, H)), gen.uniform(-1, 1, (L, N, H))
    got = learner.lstm_forward(x, h0, c0, layers)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, h0, c0, layers),
        hint="with T=1 and N=1 keep every axis: out is (1, 1, H), h_n and c_n are (L, 1, H)",
    )


# -- lstm_forward: agreement with torch.nn.LSTM -------------------------------------------------------------


@pytest.mark.task("lstm_forward", points=2)
@settings(max_examples=30, deadline=None)
@given(sizes=distinct_sizes, seed=seeds, batch_first=st.booleans(), with_states=st.booleans())
def test_lstm_forward_one_layer_matches_torch(learner, sizes, seed, batch_first, with_states):
    T, N, I, H = sizes
    gen = np.random.default_rng(seed)
    layers = lstm_stack(gen, I, H, 1)
    x = gen.normal(size=(N, T, I) if batch_first else (T, N, I))
    h0 = gen.uniform(-1, 1, (1, N, H)) if with_states else None
    c0 = gen.uniform(-2, 2, (1, N, H)) if with_states else None
    got = learner.lstm_forward(x, h0, c0, layers, batch_first)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, h0, c0, layers, batch_first),
        hint="run lstm_cell at every step, carrying (h, c) forward; " + GATE_HINT,
    )


@pytest.mark.task("lstm_forward", points=2)
@settings(max_examples=30, deadline=None)
@given(sizes=distinct_sizes, seed=seeds, num_layers=st.integers(2, 3), batch_first=st.booleans())
def test_lstm_forward_stacked_layers_match_torch(learner, sizes, seed, num_layers, batch_first):
    T, N, I, H = sizes
    gen = np.random.default_rng(seed)
    layers = lstm_stack(gen, I, H, num_layers)
    x = gen.normal(size=(N, T, I) if batch_first else (T, N, I))
    h0 = gen.uniform(-1, 1, (num_layers, N, H))
    c0 = gen.uniform(-2, 2, (num_layers, N, H))
    got = learner.lstm_forward(x, h0, c0, layers, batch_first)
    check_lstm(
        got,
        learner.last_call,
        torch_lstm(x, h0, c0, layers, batch_first),
        hint="layer k > 0 reads the hidden states of layer k-1 at each step (not x), with its own weights and its "
        "own h0[k], c0[k]; out is the top layer's h, and h_n / c_n stack every layer's last state",
    )


# -- invariants ---------------------------------------------------------------------------------------------


@pytest.mark.task("lstm_forward", points=1)
def test_lstm_forward_last_output_is_top_layer_h_n(learner):
    gen = np.random.default_rng(36)
    T, N, I, H, L = 5, 3, 4, 2, 3
    layers = lstm_stack(gen, I, H, L)
    x = gen.normal(size=(T, N, I))
    h0, c0 = gen.uniform(-1, 1, (L, N, H)), gen.uniform(-1, 1, (L, N, H))
    got = learner.lstm_forward(x, h0, c0, layers)
    call = learner.last_call
    out, h_n, _ = lstm_result(got, call)
    out_arr = checks.as_array(out, call)
    h_arr = checks.as_array(h_n, call)
    if out_arr.shape != (T, N, H) or h_arr.shape != (L, N, H):
        checks.fail(
            call,
            f"Returned out of shape {out_arr.shape} and h_n of shape {h_arr.shape}",
            f"out (T, N, H) = {(T, N, H)} and h_n (L, N, H) = {(L, N, H)}",
            "h_n holds the final hidden state of every layer, out the top layer's state at every step",
        )
    checks.array_close(
        out_arr[-1],
        h_arr[-1],
        f"{call}: out[-1] versus h_n[-1]",
        rtol=1e-12,
        atol=1e-12,
        hint="out is the top layer's hidden state at every step, so its last step is the top layer's h_n",
    )


# -- error contract -----------------------------------------------------------------------------------------

_G = np.random.default_rng(40)
_RNN = rnn_params(_G, 3, 4)
_LSTM2 = lstm_stack(_G, 3, 4, 2)
_X3 = _G.normal(size=(5, 2, 3))  # T=5, N=2, I=3


def _bad_rnn_nonlinearity(learner):
    learner.rnn_forward(
        _X3, None, _RNN["W_ih"], _RNN["W_hh"], _RNN["b_ih"], _RNN["b_hh"], nonlinearity="sigmoid"
    )


def _bad_rnn_h0_batch(learner):
    learner.rnn_forward(_X3, np.zeros((1, 4)), _RNN["W_ih"], _RNN["W_hh"], _RNN["b_ih"], _RNN["b_hh"])


def _bad_rnn_bias_length(learner):
    learner.rnn_forward(_X3, None, _RNN["W_ih"], _RNN["W_hh"], _RNN["b_ih"], np.array([0.5]))


def _bad_rnn_x_ndim(learner):
    learner.rnn_forward(_X3[None], None, _RNN["W_ih"], _RNN["W_hh"], _RNN["b_ih"], _RNN["b_hh"])


def _bad_cell_three_gates(learner):
    gen = np.random.default_rng(41)
    learner.lstm_cell(
        gen.normal(size=(2, 3)),
        np.zeros((2, 4)),
        np.zeros((2, 4)),
        gen.normal(size=(12, 3)),
        gen.normal(size=(12, 4)),
        np.zeros(12),
        np.zeros(12),
    )


def _bad_lstm_no_layers(learner):
    learner.lstm_forward(_X3, None, None, [])


def _bad_lstm_state_layers(learner):
    learner.lstm_forward(_X3, np.zeros((1, 2, 4)), np.zeros((1, 2, 4)), _LSTM2)


def _bad_lstm_second_layer_input(learner):
    layers = [
        _LSTM2[0],
        lstm_params(np.random.default_rng(42), 3, 4),
    ]  # layer 1 must read H=4 features, not I=3
    learner.lstm_forward(_X3, None, None, layers)


ERROR_CASES = {
    "rnn_unknown_nonlinearity": (_bad_rnn_nonlinearity, "rnn_forward(x, ..., nonlinearity='sigmoid')"),
    "rnn_h0_batch_mismatch": (
        _bad_rnn_h0_batch,
        "rnn_forward(x of shape (5, 2, 3), h0 of shape (1, 4), ...)",
    ),
    "rnn_bias_wrong_length": (_bad_rnn_bias_length, "rnn_forward(..., b_hh=np.array([0.5])) with H=4"),
    "rnn_x_4d": (_bad_rnn_x_ndim, "rnn_forward(x of shape (1, 5, 2, 3), ...)"),
    "lstm_cell_weights_not_4h": (
        _bad_cell_three_gates,
        "lstm_cell(..., W_ih of shape (12, 3), W_hh (12, 4), ...)",
    ),
    "lstm_no_layers": (_bad_lstm_no_layers, "lstm_forward(x, None, None, layers=[])"),
    "lstm_states_wrong_layer_count": (
        _bad_lstm_state_layers,
        "lstm_forward(x, h0 and c0 of shape (1, 2, 4), two layers)",
    ),
    "lstm_layer2_wrong_input_size": (
        _bad_lstm_second_layer_input,
        "lstm_forward(x (I=3), None, None, layers) with layer 1's W_ih of shape (16, 3) instead of (16, 4)",
    ),
}

ERROR_HINTS = {
    "rnn_unknown_nonlinearity": "only 'tanh' and 'relu' exist; raise ValueError for anything else",
    "rnn_h0_batch_mismatch": "h0 must be (N, H) for a batch of N: do not let NumPy broadcast a (1, H) state",
    "rnn_bias_wrong_length": "a bias must have one entry per hidden unit; do not let NumPy broadcast a length-1 bias",
    "rnn_x_4d": "x is 2-D (unbatched) or 3-D (batched); raise ValueError for anything else",
    "lstm_cell_weights_not_4h": "W_hh (4H, H) fixes H=4, so W_ih and W_hh need 4H=16 rows: 12 rows is not four gates",
    "lstm_no_layers": "a stacked LSTM needs at least one layer",
    "lstm_states_wrong_layer_count": "h0 and c0 hold one state per layer: (L, N, H) with L = len(layers)",
    "lstm_layer2_wrong_input_size": "layer k > 0 reads layer k-1's hidden states, so its W_ih must be (4H, H)",
}


@pytest.mark.task("validation", points=1)
@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_invalid_arguments_raise_value_error(learner, case):
    run, label = ERROR_CASES[case]
    with checks.raises(ValueError, label, hint=ERROR_HINTS[case]):
        run(learner)

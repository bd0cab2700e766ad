"""Hidden grader for optimizers_sgd_adam_rmsprop.

Oracle: ``torch.optim.SGD / Adam / AdamW / RMSprop`` (torch 2.13, every argument pinned, ``foreach=False``,
``maximize=False``), fed the identical gradient stream by setting ``p.grad`` (``None`` where the learner gets
``None``); parameters are compared after every step in the named tests and after the last step on generated
streams. Conventions checked: SGD's momentum buffer starts at the first gradient undamped, Nesterov uses
``g + mu * buf``, Adam's eps is outside the square root and its weight decay is coupled L2, AdamW decays
``p *= 1 - lr * wd`` first, AMSGrad keeps the max of the raw second moment, RMSprop's eps is outside the square
root, and step counts are per parameter.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

RTOL, ATOL = 1e-10, 1e-12


def torch_optimizer(name, tensors, kw):
    kw = dict(kw)
    if name == "SGD":
        return torch.optim.SGD(
            tensors,
            lr=kw["lr"],
            momentum=kw.get("momentum", 0.0),
            dampening=kw.get("dampening", 0.0),
            weight_decay=kw.get("weight_decay", 0.0),
            nesterov=kw.get("nesterov", False),
            maximize=False,
            foreach=False,
            differentiable=False,
            fused=None,
        )
    if name == "Adam":
        cls = torch.optim.AdamW if kw.get("decoupled", False) else torch.optim.Adam
        return cls(
            tensors,
            lr=kw.get("lr", 1e-3),
            betas=kw.get("betas", (0.9, 0.999)),
            eps=kw.get("eps", 1e-8),
            weight_decay=kw.get("weight_decay", 0.0),  # pinned: torch's AdamW default would be 0.01
            amsgrad=kw.get("amsgrad", False),
            maximize=False,
            foreach=False,
            capturable=False,
            differentiable=False,
            fused=None,
        )
    return torch.optim.RMSprop(
        tensors,
        lr=kw.get("lr", 1e-2),
        alpha=kw.get("alpha", 0.99),
        eps=kw.get("eps", 1e-8),
        weight_decay=kw.get("weight_decay", 0.0),
        momentum=kw.get("momentum", 0.0),
        centered=kw.get("centered", False),
        capturable=False,
        foreach=False,
        maximize=False,
        differentiable=False,
    )


def oracle_history(name, kw, params, stream):
    """torch's parameters after every step of the gradient stream."""
    dtype = torch.float32 if params[0].dtype == np.float32 else torch.float64
    tensors = [torch.tensor(p, dtype=dtype) for p in params]
    opt = torch_optimizer(name, tensors, kw)
    history = []
    for grads in stream:
        for t, g in zip(tensors, grads, strict=True):
            t.grad = None if g is None else torch.tensor(g, dtype=dtype)
        opt.step()
        history.append([t.detach().numpy().copy() for t in tensors])
    return history


def oracle_label(name, kw):
    if name == "Adam" and kw.get("decoupled", False):
        return "torch.optim.AdamW"
    return f"torch.optim.{name}"


def ctor_label(name, kw):
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    return f"{name}(params, {args})"


def run(learner, name, kw, params, stream, *, every_step=True, hint=None, rtol=RTOL, atol=ATOL):
    """Feed the learner's optimizer the stream; compare with torch after every step (or the last)."""
    expected = oracle_history(name, kw, params, stream)
    opt = getattr(learner, name)([p.copy() for p in params], **kw)
    label = ctor_label(name, kw)
    for k, grads in enumerate(stream):
        opt.step([None if g is None else g.copy() for g in grads])
        if not every_step and k < len(stream) - 1:
            continue
        got = opt.params
        if not isinstance(got, (list, tuple)) or len(got) != len(params):
            checks.fail(
                f"{label}; .params", f"Returned {type(got).__name__}", f"a list of {len(params)} arrays"
            )
        for i, (g, e) in enumerate(zip(got, expected[k], strict=True)):
            checks.array_close(
                g,
                e,
                f"{label}, after step {k + 1} of {len(stream)}: params[{i}]",
                rtol=rtol,
                atol=atol,
                oracle=oracle_label(name, kw),
                hint=hint,
            )
    return opt


def stream_of(seed, shapes, steps, scale=1.0, none_every=0):
    gen = np.random.default_rng(seed)
    stream = []
    for k in range(steps):
        grads = [gen.normal(0, scale, s) for s in shapes]
        if none_every and k % none_every == 1:
            grads[-1] = None
        stream.append(grads)
    return stream


def params_of(seed, shapes):
    gen = np.random.default_rng(seed)
    return [gen.normal(0, 1, s) for s in shapes]


SHAPES = [(3, 4), (5,)]


# -- worked examples ---------------------------------------------------------------------------------------


@pytest.mark.task("sgd", points=1)
def test_worked_example_sgd_momentum(learner):
    opt = learner.SGD([np.array([1.0, -2.0])], lr=0.1, momentum=0.9)
    opt.step([np.array([1.0, 1.0])])
    checks.array_close(
        opt.params[0], [0.9, -2.1], "SGD([[1., -2.]], lr=0.1, momentum=0.9).step([[1., 1.]])",
        hint="first step: the buffer is the gradient itself, so p -= lr * g",
    )  # fmt: skip
    opt.step([np.array([1.0, 1.0])])
    checks.array_close(
        opt.params[0], [0.71, -2.29], "then .step([[1., 1.]]) again",
        hint="second step: buf = 0.9 * 1 + 1 = 1.9, so p -= 0.1 * 1.9",
    )  # fmt: skip


@pytest.mark.task("adam", points=1)
def test_worked_example_adam_first_step_moves_by_lr(learner):
    p, g = np.array([1.0, -2.0]), np.array([0.5, -3.0])
    run(
        learner,
        "Adam",
        {"lr": 0.1},
        [p],
        [[g]],
        hint="first step: m_hat = g and v_hat = g**2, so p -= lr * g / (|g| + eps)",
    )


@pytest.mark.task("rmsprop", points=1)
def test_worked_example_rmsprop_first_step(learner):
    opt = learner.RMSprop([np.array([1.0])], lr=0.01, alpha=0.99, eps=0.0)
    opt.step([np.array([2.0])])
    checks.array_close(
        opt.params[0], [0.9], "RMSprop([[1.]], lr=0.01, alpha=0.99, eps=0.0).step([[2.]])",
        hint="v = alpha * 0 + (1 - alpha) * g**2 = 0.04, so p -= lr * g / sqrt(v) = 0.01 * 2 / 0.2",
    )  # fmt: skip


# -- SGD -----------------------------------------------------------------------------------------------------


@pytest.mark.task("sgd", points=2)
def test_sgd_dampening_first_step_starts_buffer_at_gradient(learner):
    run(
        learner, "SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, params_of(1, SHAPES), stream_of(2, SHAPES, 4),
        hint="torch sets the momentum buffer to the first gradient itself (not zero, and without dampening); "
        "from step 2 on, buf = momentum * buf + (1 - dampening) * g",
    )  # fmt: skip


@pytest.mark.task("sgd", points=1)
def test_sgd_nesterov_matches_torch(learner):
    run(
        learner, "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
        params_of(3, SHAPES), stream_of(4, SHAPES, 4),
        hint="Nesterov steps along g + momentum * buf (after updating buf), with lr outside the buffer",
    )  # fmt: skip


@pytest.mark.task("sgd", points=1)
def test_sgd_weight_decay_with_zero_gradients(learner):
    params = params_of(5, SHAPES)
    run(
        learner, "SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.2}, params,
        [[np.zeros(s) for s in SHAPES] for _ in range(3)],
        hint="weight decay adds weight_decay * p to the gradient before momentum, so even a zero gradient shrinks p",
    )  # fmt: skip


# -- Adam ----------------------------------------------------------------------------------------------------


@pytest.mark.task("adam", points=1)
def test_adam_first_step_is_bias_corrected(learner):
    params = [np.array([0.3, -0.7, 1.5])]
    run(
        learner, "Adam", {"lr": 0.01}, params, [[np.array([0.2, -0.05, 4.0])]] * 3,
        hint="divide m by (1 - beta1**t) and v by (1 - beta2**t); without it the first step is off by (1 - beta1) / sqrt(1 - beta2)",
    )  # fmt: skip


@pytest.mark.task("adam", points=1)
def test_adam_zero_gradients_do_not_move_parameters(learner):
    params = params_of(6, SHAPES)
    run(
        learner, "Adam", {"lr": 0.1, "betas": (0.8, 0.9)}, params, [[np.zeros(s) for s in SHAPES]] * 2,
        rtol=0, atol=0, hint="m = v = 0, so the step m_hat / (sqrt(v_hat) + eps) is exactly 0",
    )  # fmt: skip


@pytest.mark.task("adam", points=1)
def test_adam_tiny_gradients_eps_outside_sqrt(learner):
    params = [np.array([1.0, -1.0, 0.5])]
    stream = [[np.array([1e-9, -3e-10, 2e-9])] for _ in range(3)]
    run(
        learner, "Adam", {"lr": 0.1, "eps": 1e-8}, params, stream,
        hint="eps is added after the square root: sqrt(v_hat) + eps, not sqrt(v_hat + eps)",
    )  # fmt: skip


@pytest.mark.task("adam", points=2)
def test_amsgrad_shrinking_gradients_keeps_max_of_raw_v(learner):
    params = [np.array([0.5, -1.0])]
    stream = [[np.array([3.0, -2.0]) * 0.5**k] for k in range(6)]
    run(
        learner, "Adam", {"lr": 0.05, "betas": (0.9, 0.99), "amsgrad": True}, params, stream,
        hint="AMSGrad keeps v_max = max(v_max, v) of the raw v, then bias-corrects v_max; the max of v_hat differs",
    )  # fmt: skip


@pytest.mark.task("adam", points=1)
def test_adam_weight_decay_is_coupled_l2(learner):
    run(
        learner, "Adam", {"lr": 0.01, "weight_decay": 0.5}, params_of(7, SHAPES), stream_of(8, SHAPES, 4),
        hint="in Adam (decoupled=False) weight decay is L2: add weight_decay * p to the gradient before the moments",
    )  # fmt: skip


@pytest.mark.task("adam", points=1)
def test_adam_step_counts_are_per_parameter(learner):
    # The second parameter gets no gradient on steps 2 and 5: its bias correction must use its own count.
    run(
        learner, "Adam", {"lr": 0.01, "betas": (0.5, 0.6)}, params_of(9, SHAPES),
        stream_of(10, SHAPES, 6, none_every=3),
        hint="a None gradient skips the parameter, and its step count t does not advance (torch keeps t per parameter)",
    )  # fmt: skip


# -- AdamW ---------------------------------------------------------------------------------------------------


@pytest.mark.task("adamw", points=2)
def test_adamw_decays_weights_directly(learner):
    run(
        learner, "Adam", {"lr": 0.01, "weight_decay": 0.5, "decoupled": True}, params_of(11, SHAPES),
        stream_of(12, SHAPES, 4),
        hint="AdamW multiplies p by (1 - lr * weight_decay) before the update and keeps the decay out of the moments",
    )  # fmt: skip


@pytest.mark.task("adamw", points=1)
def test_adamw_with_zero_gradients_only_decays(learner):
    params = params_of(13, SHAPES)
    opt = learner.Adam([p.copy() for p in params], lr=0.1, weight_decay=0.2, decoupled=True)
    for _ in range(3):
        opt.step([np.zeros(s) for s in SHAPES])
    for i, p in enumerate(params):
        checks.array_close(
            opt.params[i], p * 0.98**3, f"Adam(params, lr=0.1, weight_decay=0.2, decoupled=True), 3 zero-gradient steps: params[{i}]",
            oracle="p * (1 - lr * weight_decay)**3", hint="with g = 0 the Adam step is 0, so only the decoupled decay acts",
        )  # fmt: skip


# -- RMSprop -------------------------------------------------------------------------------------------------


@pytest.mark.task("rmsprop", points=2)
def test_rmsprop_default(learner):
    run(
        learner, "RMSprop", {}, params_of(14, SHAPES), stream_of(15, SHAPES, 4),
        hint="defaults lr=0.01, alpha=0.99: v = alpha * v + (1 - alpha) * g**2 (alpha weights the old average)",
    )  # fmt: skip


@pytest.mark.task("rmsprop", points=1)
def test_rmsprop_centered(learner):
    run(
        learner, "RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True}, params_of(16, SHAPES),
        stream_of(17, SHAPES, 4),
        hint="centered: g_avg = alpha * g_avg + (1 - alpha) * g, and the denominator is sqrt(v - g_avg**2) + eps",
    )  # fmt: skip


@pytest.mark.task("rmsprop", points=1)
def test_rmsprop_momentum_and_weight_decay(learner):
    run(
        learner, "RMSprop", {"lr": 0.01, "momentum": 0.7, "weight_decay": 0.1, "eps": 1e-6},
        params_of(18, SHAPES), stream_of(19, SHAPES, 4),
        hint="buf = momentum * buf + g / (sqrt(v) + eps), then p -= lr * buf; weight decay goes into g first",
    )  # fmt: skip


# -- agreement with torch on generated configurations and gradient streams ------------------------------------


def stream_strategy():
    return st.tuples(
        st.integers(0, 2**31),
        st.sampled_from([1e-3, 1.0, 100.0]),
        st.integers(1, 5),
        st.sampled_from([0, 2, 3]),
    )


def generated(data):
    seed, scale, steps, none_every = data
    return params_of(seed, SHAPES), stream_of(seed + 1, SHAPES, steps, scale=scale, none_every=none_every)


@pytest.mark.task("sgd", points=3)
@settings(max_examples=25)
@given(
    kw=st.fixed_dictionaries(
        {
            "lr": st.sampled_from([0.0, 0.01, 0.3]),
            "momentum": st.sampled_from([0.0, 0.5, 0.9]),
            "dampening": st.sampled_from([0.0, 0.3]),
            "weight_decay": st.sampled_from([0.0, 0.05]),
            "nesterov": st.booleans(),
        }
    ),
    data=stream_strategy(),
)
def test_sgd_matches_torch(learner, kw, data):
    kw["nesterov"] = kw["nesterov"] and kw["momentum"] > 0 and kw["dampening"] == 0
    run(learner, "SGD", kw, *generated(data), every_step=False)


@pytest.mark.task("adam", points=2)
@settings(max_examples=25)
@given(
    kw=st.fixed_dictionaries(
        {
            "lr": st.sampled_from([1e-3, 0.1]),
            "betas": st.sampled_from([(0.9, 0.999), (0.5, 0.7), (0.0, 0.9)]),
            "eps": st.sampled_from([1e-8, 1e-3]),
            "weight_decay": st.sampled_from([0.0, 0.1]),
            "amsgrad": st.booleans(),
        }
    ),
    data=stream_strategy(),
)
def test_adam_matches_torch(learner, kw, data):
    run(learner, "Adam", kw, *generated(data), every_step=False)


@pytest.mark.task("adamw", points=1)
@settings(max_examples=25)
@given(
    kw=st.fixed_dictionaries(
        {
            "lr": st.sampled_from([1e-3, 0.1]),
            "betas": st.sampled_from([(0.9, 0.999), (0.5, 0.7)]),
            "weight_decay": st.sampled_from([0.0, 0.01, 0.3]),
            "amsgrad": st.booleans(),
            "decoupled": st.just(True),
        }
    ),
    data=stream_strategy(),
)
def test_adamw_matches_torch(learner, kw, data):
    run(learner, "Adam", kw, *generated(data), every_step=False)


@pytest.mark.task("rmsprop", points=2)
@settings(max_examples=25)
@given(
    kw=st.fixed_dictionaries(
        {
            "lr": st.sampled_from([1e-3, 0.05]),
            "alpha": st.sampled_from([0.99, 0.8, 0.5]),
            "eps": st.sampled_from([1e-8, 1e-3]),
            "weight_decay": st.sampled_from([0.0, 0.1]),
            "momentum": st.sampled_from([0.0, 0.6]),
            "centered": st.booleans(),
        }
    ),
    data=stream_strategy(),
)
def test_rmsprop_matches_torch(learner, kw, data):
    run(learner, "RMSprop", kw, *generated(data), every_step=False)


# -- invariants ----------------------------------------------------------------------------------------------


@pytest.mark.task("contract", points=1)
@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("SGD", {"lr": 0.0, "momentum": 0.9, "weight_decay": 0.1}),
        ("Adam", {"lr": 0.0, "weight_decay": 0.1, "decoupled": True}),
        ("RMSprop", {"lr": 0.0, "momentum": 0.5}),
    ],
    ids=["sgd", "adamw", "rmsprop"],
)
def test_zero_learning_rate_leaves_parameters_unchanged(learner, name, kw):
    run(
        learner, name, kw, params_of(20, SHAPES), stream_of(21, SHAPES, 2), rtol=0, atol=0,
        hint="every update, weight decay included, is scaled by lr",
    )  # fmt: skip


@pytest.mark.task("contract", points=1)
def test_none_gradient_skips_the_parameter_and_its_state(learner):
    run(
        learner, "SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}, params_of(22, SHAPES),
        stream_of(23, SHAPES, 5, none_every=2),
        hint="a None gradient leaves the parameter and its momentum buffer exactly as they are (torch skips p.grad=None)",
    )  # fmt: skip


@pytest.mark.task("contract", points=1)
def test_float32_parameters_stay_float32(learner):
    params = [p.astype(np.float32) for p in params_of(24, SHAPES)]
    stream = [[g.astype(np.float32) for g in grads] for grads in stream_of(25, SHAPES, 3)]
    opt = run(learner, "Adam", {"lr": 0.01}, params, stream, rtol=1e-5, atol=1e-6)
    got = checks.as_array(opt.params[0], "Adam(float32 params).params[0]")
    if got.dtype != np.float32:
        checks.fail(
            "Adam([float32 arrays], lr=0.01), 3 steps; .params[0].dtype",
            f"Returned dtype {got.dtype}",
            "float32",
            "update the arrays in place (p -= ...), which keeps their dtype",
        )


# -- error contract ------------------------------------------------------------------------------------------


def expect_value_error(learner, name, kw, hint):
    with checks.raises(ValueError, ctor_label(name, kw), hint=hint):
        getattr(learner, name)([np.ones(3)], **kw)


@pytest.mark.task("contract", points=1)
def test_sgd_rejects_invalid_arguments(learner):
    hint = "as torch: lr, momentum and weight_decay >= 0; Nesterov needs momentum > 0 and dampening == 0"
    for kw in (
        {"lr": -0.1},
        {"lr": 0.1, "momentum": -0.5},
        {"lr": 0.1, "weight_decay": -1.0},
        {"lr": 0.1, "nesterov": True},
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True},
    ):
        expect_value_error(learner, "SGD", kw, hint)


@pytest.mark.task("contract", points=1)
def test_adam_rejects_invalid_arguments(learner):
    hint = "as torch: lr, eps and weight_decay >= 0, and each beta in [0, 1)"
    for kw in (
        {"lr": -1e-3},
        {"betas": (1.0, 0.999)},
        {"betas": (0.9, -0.1)},
        {"eps": -1e-8},
        {"weight_decay": -0.1, "decoupled": True},
    ):
        expect_value_error(learner, "Adam", kw, hint)


@pytest.mark.task("contract", points=1)
def test_rmsprop_rejects_invalid_arguments(learner):
    hint = "as torch: lr, alpha, eps, weight_decay and momentum >= 0"
    for kw in ({"lr": -0.01}, {"alpha": -0.1}, {"eps": -1.0}, {"momentum": -0.9}, {"weight_decay": -0.5}):
        expect_value_error(learner, "RMSprop", kw, hint)


@pytest.mark.task("contract", points=1)
def test_mismatched_gradients_and_empty_params_raise(learner):
    with checks.raises(ValueError, "SGD([], lr=0.1)", hint="torch refuses an empty parameter list"):
        learner.SGD([], lr=0.1)
    opt = learner.Adam([np.ones((3, 4)), np.ones(5)], lr=0.1)
    with checks.raises(
        ValueError, "Adam([ones((3, 4)), ones(5)]).step([ones((4, 3)), ones(5)])",
        hint="check every gradient's shape against its parameter (a transposed gradient must not broadcast through)",
    ):  # fmt: skip
        opt.step([np.ones((4, 3)), np.ones(5)])
    with checks.raises(
        ValueError, "Adam([ones((3, 4)), ones(5)]).step([ones((3, 4))])", hint="one gradient per parameter"
    ):
        opt.step([np.ones((3, 4))])
    checks.array_close(
        opt.params[0], np.ones((3, 4)), "after rejected steps, .params[0]", rtol=0, atol=0,
        hint="validate all gradients before updating anything",
    )  # fmt: skip

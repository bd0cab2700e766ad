"""Hidden grader for batchnorm_layer.

Oracle: ``torch.nn.BatchNorm1d`` (and ``BatchNorm2d`` for images reshaped to (N, C, H*W)) in float64, every
parameter pinned, with torch autograd for the backward pass (checked against torch 2.13): biased variance to
normalise, unbiased variance in ``running_var``, ``running = (1 - m) * running + m * batch``, ``momentum=None`` a
cumulative average, eval on running statistics, ``track_running_stats=False`` on batch statistics in eval too,
ValueError for one value per channel in training.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

# The oracle's inputs are tiny: intra-op threads only add contention with parallel grading jobs.
torch.set_num_threads(1)

ORACLE = "torch.nn.BatchNorm1d"


def make_learner(
    learner: Any,
    C: int,
    *,
    eps: float = 1e-5,
    momentum: float | None = 0.1,
    affine: bool = True,
    track: bool = True,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
) -> Any:
    bn = learner.BatchNorm1d(C, eps=eps, momentum=momentum, affine=affine, track_running_stats=track)
    if weight is not None:
        bn.weight = np.asarray(weight, dtype=np.float64)
    if bias is not None:
        bn.bias = np.asarray(bias, dtype=np.float64)
    return bn


def make_oracle(
    C: int,
    *,
    eps: float = 1e-5,
    momentum: float | None = 0.1,
    affine: bool = True,
    track: bool = True,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    images: bool = False,
) -> torch.nn.Module:
    cls = torch.nn.BatchNorm2d if images else torch.nn.BatchNorm1d
    bn = cls(C, eps=eps, momentum=momentum, affine=affine, track_running_stats=track, dtype=torch.float64)
    with torch.no_grad():
        if weight is not None:
            bn.weight.copy_(torch.as_tensor(weight, dtype=torch.float64))
        if bias is not None:
            bn.bias.copy_(torch.as_tensor(bias, dtype=torch.float64))
    return bn


def oracle_forward(bn: torch.nn.Module, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return bn(torch.as_tensor(x, dtype=torch.float64)).numpy()


def oracle_grads(
    bn: torch.nn.Module, x: np.ndarray, dy: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    xt = torch.as_tensor(x, dtype=torch.float64).clone().requires_grad_(True)
    out = bn(xt)
    wrt = [xt] + ([bn.weight, bn.bias] if bn.affine else [])
    grads = torch.autograd.grad(out, wrt, grad_outputs=torch.as_tensor(dy, dtype=torch.float64))
    if bn.affine:
        return grads[0].numpy(), grads[1].numpy(), grads[2].numpy()
    return grads[0].numpy(), None, None


def batch(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Channels with their own offsets and scales, so that per-channel statistics matter."""
    C = shape[1]
    tail = (1,) * (len(shape) - 2)
    offset = rng.uniform(-5, 5, size=(1, C, *tail))
    scale = rng.uniform(0.2, 3, size=(1, C, *tail))
    return offset + scale * rng.standard_normal(shape)


def params(rng: np.random.Generator, C: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.5, 2.0, C) * rng.choice([-1.0, 1.0], C), rng.uniform(-2, 2, C)


shapes = st.tuples(st.integers(2, 6), st.integers(1, 4), st.one_of(st.none(), st.integers(1, 5))).map(
    lambda t: t[:2] if t[2] is None else t
)

X = np.array([[1.0, 2.0], [3.0, 6.0]])


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("train_forward", points=1)
def test_worked_example_normalises_each_column(learner):
    out = learner.BatchNorm1d(2).forward(X)
    checks.array_close(
        out,
        np.array([[-1.0, -2.0], [1.0, 2.0]]) / np.sqrt([1 + 1e-5, 4 + 1e-5]),
        learner.last_call,
        oracle=ORACLE,
        hint="in training, each column is normalised by its own batch mean and variance",
    )


@pytest.mark.task("running_stats", points=1)
def test_worked_example_running_stats(learner):
    bn = learner.BatchNorm1d(2)
    bn.forward(X)
    checks.array_close(
        bn.running_mean,
        [0.2, 0.4],
        "BatchNorm1d(2).forward([[1, 2], [3, 6]]); .running_mean",
        oracle=ORACLE,
        hint="running = (1 - momentum) * running + momentum * batch_mean, starting from zeros",
    )
    checks.array_close(
        bn.running_var,
        [1.1, 1.7],
        "BatchNorm1d(2).forward([[1, 2], [3, 6]]); .running_var",
        oracle=ORACLE,
        hint="running_var starts at ones and blends in the batch's UNBIASED variance (divide by n - 1)",
    )


# -- construction and modes -------------------------------------------------------------------------------


@pytest.mark.task("construct", points=1)
def test_initial_state(learner):
    bn = learner.BatchNorm1d(3)
    label = "BatchNorm1d(3)"
    checks.equal(bn.training, True, f"{label}.training", hint="a new layer starts in training mode")
    checks.array_close(bn.weight, np.ones(3), f"{label}.weight", hint="gamma starts at ones")
    checks.array_close(bn.bias, np.zeros(3), f"{label}.bias", hint="beta starts at zeros")
    checks.array_close(
        bn.running_mean, np.zeros(3), f"{label}.running_mean", hint="the running mean starts at 0"
    )
    checks.array_close(
        bn.running_var, np.ones(3), f"{label}.running_var", hint="the running variance starts at 1"
    )
    checks.equal(bn.num_batches_tracked, 0, f"{label}.num_batches_tracked", hint="no batch seen yet")


@pytest.mark.task("construct", points=1)
def test_affine_false_and_untracked_hold_none(learner):
    bn = learner.BatchNorm1d(3, affine=False, track_running_stats=False)
    label = "BatchNorm1d(3, affine=False, track_running_stats=False)"
    for name in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked"):
        got = getattr(bn, name)
        if got is not None:
            checks.fail(
                f"{label}.{name}",
                f"Returned {got!r}",
                "None",
                "as in torch: no parameters without affine, no running statistics without tracking",
            )


@pytest.mark.task("construct", points=1)
def test_train_and_eval_switch_modes_and_return_self(learner):
    bn = learner.BatchNorm1d(2)
    back = bn.eval()
    checks.equal(bn.training, False, "BatchNorm1d(2).eval(); .training", hint="eval() switches training off")
    checks.equal(back.training, False, "BatchNorm1d(2).eval().training", hint="eval() returns self")
    bn.train()
    checks.equal(bn.training, True, "BatchNorm1d(2).train(); .training", hint="train() switches it back on")
    back = bn.train(False)
    checks.equal(
        back.training, False, "BatchNorm1d(2).train(False).training", hint="train(mode) sets the mode"
    )


@pytest.mark.task("construct", points=1)
@pytest.mark.parametrize(
    ("C", "kwargs"),
    [(0, {}), (3, {"eps": 0.0}), (3, {"momentum": 1.5})],
    ids=["no_features", "eps_zero", "momentum_above_one"],
)
def test_invalid_arguments_raise(learner, C, kwargs):
    label = f"BatchNorm1d({C}{''.join(f', {k}={v}' for k, v in kwargs.items())})"
    with checks.raises(
        ValueError,
        label,
        hint="validate in __init__: num_features >= 1, eps > 0, momentum None or in [0, 1]",
    ):
        learner.BatchNorm1d(C, **kwargs)


# -- training forward: named edge cases -------------------------------------------------------------------


@pytest.mark.task("train_forward", points=1)
def test_two_samples_use_biased_variance(learner):
    x = np.array([[0.0, 10.0, -3.0], [4.0, 20.0, -1.0]])
    out = learner.BatchNorm1d(3, eps=1e-5).forward(x)
    expected = oracle_forward(make_oracle(3), x)
    checks.array_close(
        out,
        expected,
        learner.last_call,
        oracle=ORACLE,
        hint="normalise with the biased variance (divide by n, np.var's default); with n=2 the outputs are ±1",
    )


@pytest.mark.task("train_forward", points=1)
def test_constant_feature_gives_beta(learner):
    x = np.array([[5.0, 1.0], [5.0, 2.0], [5.0, 4.0]])
    bn = make_learner(learner, 2, weight=[3.0, -1.5], bias=[0.7, 2.0])
    out = checks.as_array(bn.forward(x), learner.last_call)
    expected = oracle_forward(make_oracle(2, weight=[3.0, -1.5], bias=[0.7, 2.0]), x)
    checks.array_close(
        out[:, 0],
        np.full(3, 0.7),
        "bn.forward(x) with a constant first column, bias[0] = 0.7",
        hint="a constant feature has x - mean = 0 and variance 0: eps keeps it finite and the output is beta",
    )
    checks.array_close(out, expected, learner.last_call, oracle=ORACLE)


@pytest.mark.task("train_forward", points=1)
def test_small_variance_keeps_eps_inside_sqrt(learner):
    x = np.array([[1.0, -2.0], [1.002, -2.001], [0.998, -2.003], [1.001, -2.0]])
    out = learner.BatchNorm1d(2, eps=1e-5).forward(x)
    expected = oracle_forward(make_oracle(2, eps=1e-5), x)
    checks.array_close(
        out,
        expected,
        learner.last_call,
        rtol=1e-7,
        atol=1e-9,
        oracle=ORACLE,
        hint="eps goes inside the square root, sqrt(var + eps); with a variance near eps, sqrt(var) + eps differs",
    )


@pytest.mark.task("train_forward", points=1)
def test_affine_false_returns_normalised_input(learner):
    rng = np.random.default_rng(11)
    x = batch(rng, (5, 3))
    out = learner.BatchNorm1d(3, affine=False).forward(x)
    expected = oracle_forward(make_oracle(3, affine=False), x)
    checks.array_close(
        out, expected, learner.last_call, oracle=ORACLE, hint="without affine there is no gamma or beta"
    )


@pytest.mark.task("train_forward", points=1)
def test_3d_input_reduces_over_batch_and_length(learner):
    rng = np.random.default_rng(12)
    x = batch(rng, (3, 2, 5))
    w, b = params(rng, 2)
    out = make_learner(learner, 2, weight=w, bias=b).forward(x)
    expected = oracle_forward(make_oracle(2, weight=w, bias=b), x)
    checks.array_close(
        out,
        expected,
        learner.last_call,
        oracle=ORACLE,
        hint="for (N, C, L) the statistics of channel c are over x[:, c, :], the N and L axes together",
    )


@pytest.mark.task("train_forward", points=1)
@pytest.mark.parametrize("shape", [(1, 3), (1, 3, 1)])
def test_single_value_per_channel_raises_in_training(learner, shape):
    with checks.raises(
        ValueError,
        f"BatchNorm1d(3).forward(x of shape {shape})",
        hint="the batch variance of one value is undefined: raise 'Expected more than 1 value per channel'",
    ):
        learner.BatchNorm1d(3).forward(np.ones(shape))


@pytest.mark.task("train_forward", points=1)
def test_mismatched_shapes_raise(learner):
    for shape, why in [
        ((4, 2), "axis 1 must have num_features = 3 channels"),
        ((4, 3, 2, 2), "BatchNorm1d takes 2-D or 3-D input"),
        ((3,), "BatchNorm1d takes 2-D or 3-D input"),
    ]:
        with checks.raises(ValueError, f"BatchNorm1d(3).forward(x of shape {shape})", hint=why):
            learner.BatchNorm1d(3).forward(np.ones(shape))


# -- training forward: agreement with torch ---------------------------------------------------------------


@pytest.mark.task("train_forward", points=2)
@settings(max_examples=30)
@given(
    shape=shapes,
    seed=st.integers(0, 2**32 - 1),
    eps=st.sampled_from([1e-5, 1e-3, 0.1]),
    affine=st.booleans(),
)
def test_train_forward_matches_torch(learner, shape, seed, eps, affine):
    rng = np.random.default_rng(seed)
    x = batch(rng, shape)
    w, b = params(rng, shape[1])
    bn = make_learner(
        learner, shape[1], eps=eps, affine=affine, weight=w if affine else None, bias=b if affine else None
    )
    out = bn.forward(x)
    expected = oracle_forward(
        make_oracle(
            shape[1], eps=eps, affine=affine, weight=w if affine else None, bias=b if affine else None
        ),
        x,
    )
    checks.array_close(
        out,
        expected,
        f"{learner.last_call} with weight={np.round(w, 3).tolist()}, bias={np.round(b, 3).tolist()}"
        if affine
        else learner.last_call,
        rtol=1e-9,
        atol=1e-9,
        oracle=ORACLE,
        hint="(x - mean) / sqrt(var + eps) * weight + bias, with per-channel batch statistics (biased variance)",
    )


@pytest.mark.task("train_forward", points=1)
def test_images_reshaped_match_batchnorm2d(learner):
    rng = np.random.default_rng(13)
    images = batch(rng, (2, 3, 4, 5))
    w, b = params(rng, 3)
    out = make_learner(learner, 3, weight=w, bias=b).forward(images.reshape(2, 3, 20))
    expected = oracle_forward(make_oracle(3, weight=w, bias=b, images=True), images).reshape(2, 3, 20)
    checks.array_close(
        out,
        expected,
        learner.last_call,
        oracle="torch.nn.BatchNorm2d on the (2, 3, 4, 5) images",
        hint="BatchNorm2d is BatchNorm1d on (N, C, H*W): statistics over N, H and W per channel",
    )


# -- running statistics -----------------------------------------------------------------------------------


@pytest.mark.task("running_stats", points=1)
def test_running_var_uses_unbiased_variance(learner):
    x = np.array([[1.0], [2.0], [6.0]])
    bn = learner.BatchNorm1d(1, momentum=1.0)
    bn.forward(x)
    checks.array_close(
        bn.running_var,
        [7.0],
        "BatchNorm1d(1, momentum=1.0).forward([[1], [2], [6]]); .running_var",
        oracle=ORACLE,
        hint="momentum=1 keeps only the batch: its unbiased variance is 14 / (3 - 1) = 7 (the biased one is 14/3)",
    )


@pytest.mark.task("running_stats", points=1)
def test_momentum_weights_the_new_batch(learner):
    bn = learner.BatchNorm1d(2, momentum=0.25)
    first = np.array([[1.0, 4.0], [3.0, 8.0]])
    second = np.array([[10.0, -2.0], [14.0, 0.0], [12.0, 2.0]])
    bn.forward(first)
    bn.forward(second)
    oracle = make_oracle(2, momentum=0.25)
    oracle_forward(oracle, first)
    oracle_forward(oracle, second)
    label = "BatchNorm1d(2, momentum=0.25): forward two batches; .running_mean"
    checks.array_close(
        bn.running_mean,
        oracle.running_mean.numpy(),
        label,
        oracle=ORACLE,
        hint="torch's convention: running = (1 - momentum) * running + momentum * batch (momentum weights the NEW batch)",
    )
    checks.array_close(
        bn.running_var,
        oracle.running_var.numpy(),
        label.replace("running_mean", "running_var"),
        oracle=ORACLE,
        hint="the same blend, with the batch's unbiased variance",
    )


@pytest.mark.task("running_stats", points=1)
def test_momentum_none_keeps_cumulative_average(learner):
    bn = learner.BatchNorm1d(1, momentum=None)
    batches = [np.array([[0.0], [2.0]]), np.array([[4.0], [8.0]]), np.array([[-3.0], [-3.0], [3.0]])]
    for x in batches:
        bn.forward(x)
    checks.array_close(
        bn.running_mean,
        [np.mean([1.0, 6.0, -1.0])],
        "BatchNorm1d(1, momentum=None): forward three batches; .running_mean",
        oracle=ORACLE,
        hint="momentum=None makes running_mean the plain average of the batch means: factor 1/num_batches_tracked",
    )
    checks.array_close(
        bn.running_var,
        [np.mean([2.0, 8.0, 12.0])],
        "BatchNorm1d(1, momentum=None): forward three batches; .running_var",
        oracle=ORACLE,
        hint="and running_var the plain average of the unbiased batch variances (the initial 1 drops out)",
    )


@pytest.mark.task("running_stats", points=1)
def test_num_batches_tracked_counts_training_batches(learner):
    bn = learner.BatchNorm1d(2)
    bn.forward(X)
    bn.forward(X)
    checks.equal(
        bn.num_batches_tracked,
        2,
        "BatchNorm1d(2): two training forwards; .num_batches_tracked",
        hint="add one per training forward",
    )
    bn.eval()
    bn.forward(X)
    checks.equal(
        bn.num_batches_tracked,
        2,
        "then eval() and one more forward; .num_batches_tracked",
        hint="eval forwards do not count",
    )


@pytest.mark.task("running_stats", points=1)
def test_eval_and_untracked_leave_running_stats_alone(learner):
    bn = learner.BatchNorm1d(2)
    bn.forward(X)
    before = checks.as_array(bn.running_mean, "bn.running_mean").copy()
    bn.eval()
    bn.forward(np.array([[100.0, -100.0], [50.0, 7.0]]))
    checks.array_close(
        bn.running_mean,
        before,
        "one training forward, then eval() and forward(other x); .running_mean",
        hint="eval mode only reads the running statistics; it never updates them",
    )
    untracked = learner.BatchNorm1d(2, track_running_stats=False)
    untracked.forward(X)
    if untracked.running_mean is not None or untracked.num_batches_tracked is not None:
        checks.fail(
            "BatchNorm1d(2, track_running_stats=False).forward(x); .running_mean",
            "Returned running statistics",
            "None",
            "without tracking there are no running statistics to update",
        )


@pytest.mark.task("running_stats", points=2)
@settings(max_examples=25)
@given(
    shape=shapes,
    seed=st.integers(0, 2**32 - 1),
    momentum=st.sampled_from([0.1, 0.3, 0.9, None]),
    n_batches=st.integers(1, 4),
)
def test_running_stats_match_torch_over_batches(learner, shape, seed, momentum, n_batches):
    rng = np.random.default_rng(seed)
    C = shape[1]
    bn = learner.BatchNorm1d(C, eps=1e-5, momentum=momentum, affine=True, track_running_stats=True)
    oracle = make_oracle(C, momentum=momentum)
    for _ in range(n_batches):
        x = batch(rng, shape)
        bn.forward(x)
        oracle_forward(oracle, x)
    label = f"BatchNorm1d({C}, momentum={momentum}): {n_batches} training forwards of shape {shape}"
    hint = "running = (1 - m) * running + m * batch, m = momentum (or 1/num_batches_tracked when None); unbiased var"
    checks.array_close(
        bn.running_mean, oracle.running_mean.numpy(), f"{label}; .running_mean", oracle=ORACLE, hint=hint
    )
    checks.array_close(
        bn.running_var, oracle.running_var.numpy(), f"{label}; .running_var", oracle=ORACLE, hint=hint
    )


# -- eval forward -----------------------------------------------------------------------------------------


@pytest.mark.task("eval_forward", points=1)
def test_eval_before_training_uses_zero_mean_unit_variance(learner):
    x = np.array([[1.0, -2.0, 3.0]])
    w, b = np.array([2.0, -1.0, 0.5]), np.array([0.1, 0.2, 0.3])
    bn = make_learner(learner, 3, weight=w, bias=b)
    bn.eval()
    out = bn.forward(x)
    checks.array_close(
        out,
        x / np.sqrt(1 + 1e-5) * w + b,
        learner.last_call,
        oracle=ORACLE,
        hint="in eval mode a fresh layer normalises with running_mean = 0 and running_var = 1 (and N = 1 is fine)",
    )


@pytest.mark.task("eval_forward", points=2)
@settings(max_examples=25)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1), momentum=st.sampled_from([0.1, 0.5, None]))
def test_eval_uses_running_stats(learner, shape, seed, momentum):
    rng = np.random.default_rng(seed)
    C = shape[1]
    w, b = params(rng, C)
    bn = make_learner(learner, C, momentum=momentum, weight=w, bias=b)
    oracle = make_oracle(C, momentum=momentum, weight=w, bias=b)
    for _ in range(2):
        x = batch(rng, shape)
        bn.forward(x)
        oracle_forward(oracle, x)
    bn.eval()
    oracle.eval()
    x = batch(rng, shape)
    out = bn.forward(x)
    checks.array_close(
        out,
        oracle_forward(oracle, x),
        f"two training forwards, then eval(); {learner.last_call}",
        rtol=1e-9,
        atol=1e-9,
        oracle=ORACLE,
        hint="eval mode normalises with running_mean and running_var, not with the batch's statistics",
    )


@pytest.mark.task("eval_forward", points=1)
def test_eval_treats_each_sample_alone(learner):
    rng = np.random.default_rng(14)
    w, b = params(rng, 3)
    bn = make_learner(learner, 3, weight=w, bias=b)
    bn.forward(batch(rng, (6, 3, 4)))
    bn.eval()
    x = batch(rng, (4, 3, 4))
    whole = checks.as_array(bn.forward(x), learner.last_call)
    for i in range(4):
        alone = bn.forward(x[i : i + 1])
        checks.array_close(
            alone,
            whole[i : i + 1],
            f"eval mode: bn.forward(x[{i}:{i + 1}]) against bn.forward(x)[{i}:{i + 1}]",
            hint="in eval mode each sample is normalised with the running statistics alone: batching changes nothing",
        )


@pytest.mark.task("eval_forward", points=1)
def test_untracked_eval_uses_batch_stats(learner):
    rng = np.random.default_rng(15)
    x = batch(rng, (5, 2))
    w, b = params(rng, 2)
    bn = make_learner(learner, 2, track=False, weight=w, bias=b)
    bn.eval()
    out = bn.forward(x)
    oracle = make_oracle(2, track=False, weight=w, bias=b).eval()
    checks.array_close(
        out,
        oracle_forward(oracle, x),
        learner.last_call,
        oracle=ORACLE,
        hint="with track_running_stats=False there are no running statistics: eval normalises with the batch's",
    )


# -- backward ---------------------------------------------------------------------------------------------


def check_grads(learner, got: Any, expected: tuple, label: str, hint: str) -> None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        checks.fail(label, f"Returned {type(got).__name__}", "a tuple (dx, dgamma, dbeta)", hint)
    for name, value, want in zip(("dx", "dgamma", "dbeta"), got, expected, strict=True):
        if want is None:
            if value is not None:
                checks.fail(label, f"Returned {name} = {value!r}", "None (affine=False)", hint)
            continue
        checks.array_close(
            value, want, f"{label} -> {name}", rtol=1e-7, atol=1e-9, oracle="torch autograd", hint=hint
        )


@pytest.mark.task("backward", points=3)
@settings(max_examples=30)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1), eps=st.sampled_from([1e-5, 0.1]))
def test_backward_matches_autograd_in_training(learner, shape, seed, eps):
    rng = np.random.default_rng(seed)
    C = shape[1]
    x = batch(rng, shape)
    w, b = params(rng, C)
    dy = rng.standard_normal(shape)
    bn = make_learner(learner, C, eps=eps, weight=w, bias=b)
    bn.forward(x)
    got = bn.backward(dy)
    expected = oracle_grads(make_oracle(C, eps=eps, weight=w, bias=b), x, dy)
    check_grads(
        learner,
        got,
        expected,
        f"bn.forward(x of shape {shape}); {learner.last_call}",
        "in training, mean and var depend on every x of the channel: "
        "dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / sqrt(var + eps), with dx_hat = dy * gamma",
    )


@pytest.mark.task("backward", points=1)
def test_backward_matches_autograd_in_eval(learner):
    rng = np.random.default_rng(16)
    w, b = params(rng, 3)
    bn = make_learner(learner, 3, weight=w, bias=b)
    oracle = make_oracle(3, weight=w, bias=b)
    x0 = batch(rng, (5, 3, 2))
    bn.forward(x0)
    oracle_forward(oracle, x0)
    bn.eval()
    oracle.eval()
    x = batch(rng, (4, 3, 2))
    dy = rng.standard_normal(x.shape)
    bn.forward(x)
    check_grads(
        learner,
        bn.backward(dy),
        oracle_grads(oracle, x, dy),
        f"after a training batch, eval(); bn.forward(x); {learner.last_call}",
        "in eval mode the statistics are constants: dx = dy * gamma / sqrt(running_var + eps)",
    )


@pytest.mark.task("backward", points=1)
def test_backward_affine_false_gives_none_for_parameters(learner):
    rng = np.random.default_rng(17)
    x = batch(rng, (4, 2))
    dy = rng.standard_normal(x.shape)
    bn = learner.BatchNorm1d(2, affine=False)
    bn.forward(x)
    check_grads(
        learner,
        bn.backward(dy),
        oracle_grads(make_oracle(2, affine=False), x, dy),
        f"BatchNorm1d(2, affine=False).forward(x); {learner.last_call}",
        "without affine, gamma is 1 and there are no parameter gradients: return (dx, None, None)",
    )


@pytest.mark.task("backward", points=1)
def test_backward_agrees_with_central_differences(learner):
    rng = np.random.default_rng(18)
    x0 = batch(rng, (3, 2))
    w0, b = params(rng, 2)
    g = rng.standard_normal(x0.shape)
    bn = make_learner(learner, 2, weight=w0, bias=b)

    def loss_of_x(x: np.ndarray) -> float:
        return float(np.sum(checks.as_array(bn.forward(x), learner.last_call) * g))

    def loss_of_weight(w: np.ndarray) -> float:
        bn.weight = w
        return float(np.sum(checks.as_array(bn.forward(x0), learner.last_call) * g))

    numeric_x = checks.numeric_gradient(loss_of_x, x0)
    numeric_w = checks.numeric_gradient(loss_of_weight, w0)
    bn.weight = w0
    bn.forward(x0)
    got = bn.backward(g)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        checks.fail(learner.last_call, f"Returned {type(got).__name__}", "a tuple (dx, dgamma, dbeta)")
    checks.gradient_close(got[0], numeric_x, "L(x) = sum(bn.forward(x) * g); bn.backward(g)[0]", wrt="x")
    checks.gradient_close(
        got[1], numeric_w, "L(gamma) = sum(bn.forward(x) * g); bn.backward(g)[1]", wrt="gamma"
    )


@pytest.mark.task("backward", points=1)
def test_backward_before_forward_raises(learner):
    with checks.raises(
        RuntimeError,
        "BatchNorm1d(2).backward(dy) before any forward",
        hint="nothing is cached yet: raise RuntimeError",
    ):
        learner.BatchNorm1d(2).backward(np.ones((2, 2)))


@pytest.mark.task("backward", points=1)
def test_backward_shape_mismatch_raises(learner):
    bn = learner.BatchNorm1d(2)
    bn.forward(np.arange(8.0).reshape(4, 2))
    with checks.raises(
        ValueError,
        "BatchNorm1d(2).forward(x of shape (4, 2)); .backward(dy of shape (1, 2))",
        hint="dy must have exactly the shape of the last input (do not let it broadcast)",
    ):
        bn.backward(np.ones((1, 2)))

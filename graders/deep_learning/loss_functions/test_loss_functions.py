"""Hidden grader for loss_functions.

Oracle: ``torch.nn.functional.cross_entropy``, ``binary_cross_entropy_with_logits``, ``mse_loss`` and
``multi_margin_loss`` (torch 2.13), every parameter passed explicitly, in float64: their values and their autograd
gradients. The learner's gradients are taken on the learner's side (``with_grad``) through the learner's own
graph and compared with ``torch.autograd.grad`` of the oracle for the same ``grad_output``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

VALUE_TOL = {"rtol": 1e-7, "atol": 1e-9}
GRAD_TOL = {"rtol": 1e-6, "atol": 1e-9}


def T(a: Any, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a), dtype=dtype)


def oracles() -> dict[str, Callable[..., torch.Tensor]]:
    return {
        "cross_entropy": lambda x, t, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0: (
            functional.cross_entropy(
                x,
                t,
                weight=weight,
                ignore_index=ignore_index,
                reduction=reduction,
                label_smoothing=label_smoothing,
            )
        ),
        "bce_with_logits": lambda x, t, pos_weight=None, reduction="mean": (
            functional.binary_cross_entropy_with_logits(
                x, t, weight=None, pos_weight=pos_weight, reduction=reduction
            )
        ),
        "mse_loss": lambda x, t, reduction="mean": functional.mse_loss(x, t, reduction=reduction),
        "multi_margin_loss": lambda x, y, margin=1.0, p=1, weight=None, reduction="mean": (
            functional.multi_margin_loss(x, y, p=p, margin=margin, weight=weight, reduction=reduction)
        ),
    }


def value(learner: Any, name: str, *args: Any, hint: str | None = None, **kwargs: Any) -> torch.Tensor:
    """Call the learner, compare the value with the oracle's; return the oracle's value."""
    expected = oracles()[name](*args, **kwargs)
    got = getattr(learner, name)(*args, **kwargs)
    checks.array_close(
        got,
        expected.detach().numpy(),
        learner.last_call,
        oracle=f"torch.nn.functional.{name}",
        hint=hint,
        **VALUE_TOL,
    )
    return expected


def value_and_grad(
    learner: Any,
    name: str,
    *args: Any,
    wrt: tuple[int, ...] = (0,),
    hint: str | None = None,
    grad_hint: str | None = None,
    seed: int = 0,
    **kwargs: Any,
) -> None:
    """Compare the value and the gradients with respect to the positional arguments ``wrt`` with torch autograd."""
    inputs = [a.detach().clone().requires_grad_(i in wrt) if i in wrt else a for i, a in enumerate(args)]
    expected = oracles()[name](*inputs, **kwargs)
    grad_output = None
    if expected.dim() > 0:
        gen = torch.Generator().manual_seed(seed)
        grad_output = torch.rand(expected.shape, generator=gen, dtype=torch.float64) * 2 - 0.5
    grads = torch.autograd.grad(
        expected,
        [inputs[i] for i in wrt],
        grad_output if grad_output is not None else torch.ones_like(expected),
    )
    fn = getattr(learner, name)
    got, got_grads = fn.with_grad(*args, wrt=wrt, grad_output=grad_output, **kwargs)
    call = learner.last_call.removesuffix(".backward()")
    checks.array_close(
        got, expected.detach().numpy(), call, oracle=f"torch.nn.functional.{name}", hint=hint, **VALUE_TOL
    )
    for i, g_got, g_exp in zip(wrt, got_grads, grads, strict=True):
        checks.array_close(
            g_got,
            g_exp.numpy(),
            learner.last_call + f" (gradient with respect to argument {i})",
            oracle=f"torch.autograd.grad of torch.nn.functional.{name}",
            hint=grad_hint
            or "build the loss from differentiable torch operations only (no .item(), .numpy(), .detach() or "
            "in-place writes into tensors that need a gradient), so autograd can follow it",
            **GRAD_TOL,
        )


def logits_for(n: int, c: int, seed: int, scale: float = 3.0, extra: tuple[int, ...] = ()) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn((n, c, *extra), generator=gen, dtype=torch.float64) * scale


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("cross_entropy", points=1)
def test_ce_worked_example(learner):
    logits = T([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    target = T([0, 2], torch.int64)
    got = learner.cross_entropy(logits, target, reduction="none")
    checks.array_close(
        got,
        [math.log(1 + 2 * math.exp(-2.0)), math.log(3.0)],
        learner.last_call,
        oracle="torch.nn.functional.cross_entropy",
        hint="loss_i = logsumexp(logits_i) - logits_i[target_i]",
        **VALUE_TOL,
    )
    value(
        learner, "cross_entropy", logits, target, reduction="mean", hint="the default reduction is the mean"
    )


@pytest.mark.task("bce_with_logits", points=1)
def test_bce_worked_example(learner):
    value_and_grad(
        learner,
        "bce_with_logits",
        T([[0.5, -1.5, 2.0], [0.0, 3.0, -0.25]]),
        T([[1.0, 0.0, 1.0], [0.3, 0.0, 1.0]]),
        wrt=(0, 1),
        reduction="mean",
        hint="loss = -[t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))], averaged over every element",
        grad_hint="dL/dz = (sigmoid(z) - t) / n, also at z = 0 exactly: autograd through max(-z, 0) + log1p(exp(-|z|)) "
        "takes subgradients at 0 that do not add up to it; use torch.logaddexp(0, -z) or F.softplus(-z)",
    )


@pytest.mark.task("mse_loss", points=1)
def test_mse_worked_example_and_reductions(learner):
    pred, target = T([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]]), T([[1.0, 0.0, 1.0], [2.0, -1.0, 0.0]])
    for reduction in ("mean", "sum", "none"):
        value(
            learner,
            "mse_loss",
            pred,
            target,
            reduction=reduction,
            hint="'mean' over every element, 'sum', or 'none'",
        )


@pytest.mark.task("multi_margin_loss", points=1)
def test_multi_margin_doc_example(learner):
    got = learner.multi_margin_loss(T([[0.1, 0.2, 0.4, 0.8]]), T([3], torch.int64))
    checks.close(
        got,
        0.325,
        learner.last_call,
        rtol=1e-7,
        oracle="torch.nn.MultiMarginLoss docs",
        hint="(max(0, 1-0.8+0.1) + max(0, 1-0.8+0.2) + max(0, 1-0.8+0.4)) / 4: sum over every wrong class "
        "(not the worst one only, as Crammer-Singer), divided by C = 4 (not C - 1)",
    )


# -- cross-entropy with class indices: named edge cases ----------------------------------------------------


@pytest.mark.task("cross_entropy", points=1)
def test_ce_weighted_mean(learner):
    logits = logits_for(6, 3, seed=1)
    target = T([0, 1, 2, 1, 1, 0], torch.int64)
    weight = T([1.0, 3.0, 0.2])
    value_and_grad(
        learner,
        "cross_entropy",
        logits,
        target,
        weight=weight,
        reduction="mean",
        hint="with class weights, 'mean' divides sum_i w[y_i] * nll_i by sum_i w[y_i], not by N",
    )


@pytest.mark.task("cross_entropy", points=1)
def test_ce_ignore_index(learner):
    logits = logits_for(5, 4, seed=2)
    target = T([0, -100, 3, -100, 1], torch.int64)
    for reduction in ("mean", "none"):
        value_and_grad(
            learner,
            "cross_entropy",
            logits,
            target,
            weight=T([0.5, 1.0, 2.0, 1.5]),
            reduction=reduction,
            hint="ignored targets count neither in the numerator nor in the denominator; 'none' gives 0 there",
        )
    value_and_grad(
        learner,
        "cross_entropy",
        logits,
        T([0, 2, 3, 2, 1], torch.int64),
        ignore_index=2,
        reduction="mean",
        hint="ignore_index can be any integer, a valid class index included",
    )


@pytest.mark.task("cross_entropy", points=1)
def test_ce_all_targets_ignored(learner):
    logits = logits_for(3, 4, seed=3)
    target = T([-100, -100, -100], torch.int64)
    value(
        learner,
        "cross_entropy",
        logits,
        target,
        reduction="mean",
        hint="0 / 0: every target ignored gives NaN",
    )
    value(learner, "cross_entropy", logits, target, reduction="sum", hint="nothing to sum: 0")
    value(learner, "cross_entropy", logits, target, reduction="none", hint="0 for every ignored target")


@pytest.mark.task("cross_entropy", points=1)
def test_ce_large_logits(learner):
    logits = T([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 999.0], [0.0, 0.0, 800.0]])
    value_and_grad(
        learner,
        "cross_entropy",
        logits,
        T([2, 0, 2], torch.int64),
        reduction="none",
        hint="exp(1000) overflows; compute log-softmax as logits - logsumexp(logits) (torch.logsumexp is allowed)",
    )


@pytest.mark.task("cross_entropy", points=1)
def test_ce_spatial_inputs(learner):
    logits = logits_for(2, 3, seed=4, extra=(4, 5))
    gen = torch.Generator().manual_seed(5)
    target = torch.randint(0, 3, (2, 4, 5), generator=gen)
    target[0, 1, 2] = target[1, 3, 0] = -100
    for reduction in ("none", "mean"):
        value_and_grad(
            learner,
            "cross_entropy",
            logits,
            target,
            weight=T([0.3, 1.0, 2.5]),
            reduction=reduction,
            hint="for (N, C, d1, ...) inputs the class dimension is dim 1; the target has shape (N, d1, ...)",
        )


@pytest.mark.task("cross_entropy", points=1)
def test_ce_unbatched_matches_batched(learner):
    logits = logits_for(3, 5, seed=6)
    target = T([4, 0, 2], torch.int64)
    batch = checks.as_array(learner.cross_entropy(logits, target, reduction="none"), learner.last_call)
    for i in range(3):
        got = learner.cross_entropy(logits[i], target[i], reduction="none")
        arr = checks.array_close(
            got,
            np.asarray(batch[i]),
            learner.last_call,
            hint="a single sample (C,) with a 0-d target gives a 0-d loss, equal to that sample's loss in a batch",
            **VALUE_TOL,
        )
        if arr.shape != ():
            checks.fail(learner.last_call, f"Returned shape {arr.shape}", "a 0-d tensor")
    value_and_grad(learner, "cross_entropy", logits[1], target[1], reduction="mean")


# -- cross-entropy: agreement with torch on generated inputs ------------------------------------------------


@st.composite
def ce_case(draw: Any, probabilities: bool = False) -> dict[str, Any]:
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    extra = draw(st.sampled_from([(), (), (3,)]))
    seed = draw(st.integers(0, 2**31 - 1))
    logits = logits_for(n, c, seed, scale=draw(st.sampled_from([1.0, 4.0, 30.0])), extra=extra)
    gen = torch.Generator().manual_seed(seed + 1)
    if probabilities:
        target = torch.softmax(torch.randn(logits.shape, generator=gen, dtype=torch.float64) * 2, dim=1)
    else:
        target = torch.randint(0, c, (n, *extra), generator=gen)
        ignore = torch.rand(target.shape, generator=gen) < draw(st.sampled_from([0.0, 0.3]))
        ignore.view(-1)[0] = False  # at least one target counts
        target[ignore] = -100
    weight = None
    if draw(st.booleans()):
        weight = torch.rand(c, generator=gen, dtype=torch.float64) * 2.5 + 0.1
    return {
        "logits": logits,
        "target": target,
        "weight": weight,
        "reduction": draw(st.sampled_from(["mean", "sum", "none"])),
        "label_smoothing": draw(st.sampled_from([0.0, 0.0, 0.1, 0.35])) if probabilities else 0.0,
        "seed": seed,
    }


@pytest.mark.task("cross_entropy", points=3)
@settings(max_examples=30)
@given(case=ce_case())
def test_ce_matches_torch(learner, case):
    value_and_grad(
        learner,
        "cross_entropy",
        case["logits"],
        case["target"],
        weight=case["weight"],
        reduction=case["reduction"],
        seed=case["seed"],
        hint="nll_i = -log_softmax(logits)_i[y_i], weighted by w[y_i]; 'mean' divides by the sum of those weights",
    )


# -- label smoothing and probability targets --------------------------------------------------------------


@pytest.mark.task("ce_smoothing_and_probabilities", points=1)
def test_label_smoothing(learner):
    logits = logits_for(5, 4, seed=7)
    target = T([0, 3, 1, 1, 2], torch.int64)
    for weight in (None, T([1.0, 3.0, 0.2, 0.7])):
        value_and_grad(
            learner,
            "cross_entropy",
            logits,
            target,
            weight=weight,
            label_smoothing=0.2,
            reduction="mean",
            hint="label smoothing mixes in a uniform target over all C classes: (1 - eps) * nll + eps * "
            "mean_c(-log p_c), each weighted, and 'mean' divides both parts by sum_i w[y_i]; the true class "
            "gets 1 - eps + eps/C, not 1 - eps, and the others eps/C, not eps/(C-1)",
        )


@pytest.mark.task("ce_smoothing_and_probabilities", points=1)
def test_label_smoothing_with_ignore_index(learner):
    logits = logits_for(6, 3, seed=8)
    target = T([0, -100, 2, 1, -100, 2], torch.int64)
    for reduction in ("mean", "none", "sum"):
        value_and_grad(
            learner,
            "cross_entropy",
            logits,
            target,
            weight=T([0.5, 2.0, 1.0]),
            label_smoothing=0.3,
            reduction=reduction,
            hint="an ignored target gets no smoothing term either, and stays out of the denominator",
        )


@pytest.mark.task("ce_smoothing_and_probabilities", points=1)
def test_probability_targets(learner):
    logits = logits_for(4, 3, seed=9)
    target = torch.softmax(logits_for(4, 3, seed=10), dim=1)
    for weight in (None, T([0.5, 2.0, 1.0])):
        value_and_grad(
            learner,
            "cross_entropy",
            logits,
            target,
            wrt=(0, 1),
            weight=weight,
            reduction="mean",
            hint="a floating target of the logits' shape holds class probabilities: loss_i = -sum_c w_c t_ic "
            "log p_ic, and 'mean' divides by N (the weights are not in the denominator)",
        )


@pytest.mark.task("ce_smoothing_and_probabilities", points=1)
def test_probability_targets_spatial_and_unbatched(learner):
    logits = logits_for(2, 4, seed=11, extra=(3,))
    target = torch.softmax(logits_for(2, 4, seed=12, extra=(3,)), dim=1)
    value_and_grad(
        learner,
        "cross_entropy",
        logits,
        target,
        wrt=(0, 1),
        reduction="none",
        hint="the class dimension is dim 1 for the probabilities too",
    )
    value_and_grad(
        learner,
        "cross_entropy",
        logits[:, :, 0][0],
        target[:, :, 0][0],
        wrt=(0, 1),
        reduction="mean",
        hint="a single sample (C,) with a probability target (C,) gives a scalar",
    )


@pytest.mark.task("ce_smoothing_and_probabilities", points=2)
@settings(max_examples=25)
@given(case=ce_case(probabilities=True))
def test_smoothing_and_probabilities_match_torch(learner, case):
    value_and_grad(
        learner,
        "cross_entropy",
        case["logits"],
        case["target"],
        wrt=(0, 1),
        weight=case["weight"],
        reduction=case["reduction"],
        label_smoothing=case["label_smoothing"],
        seed=case["seed"],
        hint="smoothing a probability target: t' = (1 - eps) t + eps / C; 'mean' divides by the number of samples",
    )


@pytest.mark.task("ce_smoothing_and_probabilities", points=1)
@settings(max_examples=25)
@given(case=ce_case(), eps=st.sampled_from([0.05, 0.5, 1.0]))
def test_label_smoothing_matches_torch(learner, case, eps):
    value_and_grad(
        learner,
        "cross_entropy",
        case["logits"],
        case["target"],
        weight=case["weight"],
        reduction=case["reduction"],
        label_smoothing=eps,
        seed=case["seed"],
    )


# -- binary cross-entropy on logits -----------------------------------------------------------------------


@pytest.mark.task("bce_with_logits", points=1)
def test_bce_extreme(learner):
    value_and_grad(
        learner,
        "bce_with_logits",
        T([1000.0, -1000.0, 1000.0, -1000.0, 40.0, -40.0]),
        T([0.0, 1.0, 1.0, 0.0, 0.0, 1.0]),
        wrt=(0, 1),
        reduction="none",
        hint="use the stable form max(z, 0) - z t + log(1 + exp(-|z|)): a confident wrong logit of 1000 costs "
        "exactly 1000 (log(sigmoid) gives -inf or a clamp)",
    )


@pytest.mark.task("bce_with_logits", points=1)
def test_bce_pos_weight(learner):
    got = learner.bce_with_logits(T([0.5]), T([1.0]), pos_weight=T([3.0]))
    checks.close(
        got,
        3 * math.log1p(math.exp(-0.5)),
        learner.last_call,
        rtol=1e-7,
        oracle="torch.nn.functional.binary_cross_entropy_with_logits",
        hint="pos_weight multiplies the positive term only: -[pw t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))]",
    )
    gen = torch.Generator().manual_seed(13)
    logits = torch.randn(4, 3, generator=gen, dtype=torch.float64) * 3
    target = torch.rand(4, 3, generator=gen, dtype=torch.float64)
    value_and_grad(
        learner,
        "bce_with_logits",
        logits,
        target,
        wrt=(0, 1),
        pos_weight=T([0.5, 2.0, 4.0]),
        reduction="none",
        hint="pos_weight of shape (C,) broadcasts along the last dimension; soft targets use the same formula",
    )


@pytest.mark.task("bce_with_logits", points=2)
@settings(max_examples=30)
@given(
    shape=st.sampled_from([(5,), (3, 4), (2, 3, 2)]),
    scale=st.sampled_from([1.0, 5.0, 50.0]),
    hard=st.booleans(),
    with_pos_weight=st.booleans(),
    reduction=st.sampled_from(["mean", "sum", "none"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_bce_matches_torch(learner, shape, scale, hard, with_pos_weight, reduction, seed):  # noqa: PLR0917
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(shape, generator=gen, dtype=torch.float64) * scale
    target = torch.rand(shape, generator=gen, dtype=torch.float64)
    if hard:
        target = (target > 0.5).to(torch.float64)
    pos_weight = (
        torch.rand(shape[-1], generator=gen, dtype=torch.float64) * 3 + 0.2 if with_pos_weight else None
    )
    value_and_grad(
        learner,
        "bce_with_logits",
        logits,
        target,
        wrt=(0, 1),
        pos_weight=pos_weight,
        reduction=reduction,
        seed=seed,
    )


@pytest.mark.task("bce_with_logits", points=1)
def test_ce_two_classes_equals_bce(learner):
    z = T([-2.0, 0.3, 1.7, 4.0, -0.6])
    t = T([0, 1, 1, 0, 1], torch.int64)
    ce = learner.cross_entropy(torch.stack([torch.zeros_like(z), z], dim=1), t, reduction="none")
    bce = learner.bce_with_logits(z, t.to(torch.float64), reduction="none")
    checks.array_close(
        ce,
        checks.as_array(bce, learner.last_call),
        "cross_entropy([[0, z_i]], t) against bce_with_logits(z, t)",
        **VALUE_TOL,
        hint="with two classes, cross-entropy on logits [0, z] is binary cross-entropy on the logit z",
    )


@pytest.mark.task("bce_with_logits", points=1)
def test_bce_shape_mismatch_raises(learner):
    for target in (T([[1.0], [0.0], [1.0]]), T([1.0, 0.0])):
        with checks.raises(
            ValueError,
            f"bce_with_logits(logits of shape (3,), target of shape {tuple(target.shape)})",
            hint="target must have exactly the logits' shape; do not let it broadcast",
        ):
            learner.bce_with_logits(T([0.5, -1.0, 2.0]), target)


# -- mean squared error -----------------------------------------------------------------------------------


@pytest.mark.task("mse_loss", points=1)
@settings(max_examples=25)
@given(
    shape=st.sampled_from([(4,), (3, 5), (2, 3, 4), ()]),
    reduction=st.sampled_from(["mean", "sum", "none"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_mse_matches_torch(learner, shape, reduction, seed):
    gen = torch.Generator().manual_seed(seed)
    pred = torch.randn(shape, generator=gen, dtype=torch.float64) * 4
    target = torch.randn(shape, generator=gen, dtype=torch.float64)
    value_and_grad(learner, "mse_loss", pred, target, wrt=(0, 1), reduction=reduction, seed=seed)


@pytest.mark.task("mse_loss", points=1)
def test_mse_shape_mismatch_raises(learner):
    with checks.raises(
        ValueError,
        "mse_loss(pred of shape (3, 1), target of shape (3,))",
        hint="(3, 1) - (3,) broadcasts to (3, 3) and silently averages the wrong thing; raise ValueError instead",
    ):
        learner.mse_loss(T([[1.0], [2.0], [3.0]]), T([1.0, 2.0, 3.0]))


# -- multi-class margin loss ------------------------------------------------------------------------------


@pytest.mark.task("multi_margin_loss", points=1)
def test_multi_margin_p2_weight_margin(learner):
    x = T([[0.1, 0.2, 0.4, 0.8], [1.5, -0.3, 0.9, 0.2], [0.0, 2.1, 1.7, -1.0]])
    y = T([3, 0, 1], torch.int64)
    for kwargs in (
        {"p": 2, "margin": 1.0},
        {"p": 1, "margin": 0.5},
        {"p": 1, "margin": 1.0, "weight": T([0.5, 2.0, 1.0, 3.0])},
        {"p": 2, "margin": 0.7, "weight": T([0.5, 2.0, 1.0, 3.0]), "reduction": "none"},
    ):
        value_and_grad(
            learner,
            "multi_margin_loss",
            x,
            y,
            hint="each hinge term max(0, margin - x_y + x_j) is raised to the power p; sample i is weighted by "
            "weight[y_i]; 'mean' divides by N",
            **kwargs,
        )


@pytest.mark.task("multi_margin_loss", points=2)
@settings(max_examples=30)
@given(
    n=st.integers(1, 5),
    c=st.integers(2, 6),
    p=st.sampled_from([1, 2]),
    margin=st.sampled_from([0.5, 1.0, 2.0]),
    with_weight=st.booleans(),
    reduction=st.sampled_from(["mean", "sum", "none"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_multi_margin_matches_torch(learner, n, c, p, margin, with_weight, reduction, seed):  # noqa: PLR0917
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, generator=gen, dtype=torch.float64)
    y = torch.randint(0, c, (n,), generator=gen)
    weight = torch.rand(c, generator=gen, dtype=torch.float64) * 2 + 0.1 if with_weight else None
    value_and_grad(
        learner,
        "multi_margin_loss",
        x,
        y,
        margin=margin,
        p=p,
        weight=weight,
        reduction=reduction,
        seed=seed,
        hint="Weston-Watkins: sum over every j != y of max(0, margin - x_y + x_j)**p, divided by C",
    )


@pytest.mark.task("multi_margin_loss", points=1)
def test_multi_margin_unbatched_matches_batched(learner):
    x = T([[0.3, -1.2, 2.5, 0.0, 1.1], [4.0, 3.9, -3.0, 0.5, 2.2]])
    y = T([2, 1], torch.int64)
    batch = checks.as_array(learner.multi_margin_loss(x, y, reduction="none"), learner.last_call)
    for i in range(2):
        checks.array_close(
            learner.multi_margin_loss(x[i], y[i], reduction="none"),
            np.asarray(batch[i]),
            learner.last_call,
            hint="a single sample (C,) with a 0-d class gives a 0-d loss equal to its loss in a batch",
            **VALUE_TOL,
        )
    value_and_grad(learner, "multi_margin_loss", x[1], y[1], reduction="mean")


# -- error contract ---------------------------------------------------------------------------------------


@pytest.mark.task("cross_entropy", points=1)
def test_ce_invalid_arguments_raise(learner):
    logits, target = logits_for(3, 4, seed=14), T([0, 1, 3], torch.int64)
    cases = [
        ({"reduction": "average"}, "reduction must be 'none', 'mean' or 'sum'"),
        ({"label_smoothing": 1.5}, "label_smoothing must lie in [0, 1]"),
        ({"label_smoothing": -0.1}, "label_smoothing must lie in [0, 1]"),
        ({"weight": T([1.0, 2.0, 3.0])}, "weight must have one entry per class, shape (C,)"),
    ]
    for kwargs, hint in cases:
        args = ", ".join(
            f"{k}={v!r}" if not isinstance(v, torch.Tensor) else f"{k}=<shape {tuple(v.shape)}>"
            for k, v in kwargs.items()
        )
        with checks.raises(ValueError, f"cross_entropy(logits (3, 4), target (3,), {args})", hint=hint):
            learner.cross_entropy(logits, target, **kwargs)


@pytest.mark.task("cross_entropy", points=1)
def test_ce_bad_targets_raise(learner):
    logits = logits_for(3, 4, seed=15)
    cases = [
        (T([0, 4, 1], torch.int64), "class indices must lie in [0, C) (or equal ignore_index)"),
        (
            T([0, -1, 1], torch.int64),
            "a negative class index is not ignore_index (-100) and must be rejected",
        ),
        (T([0, 1], torch.int64), "the class-index target has shape (N,)"),
        (T([[0, 1, 2]], torch.int64), "the class-index target has shape (N,)"),
        (torch.full((3, 3), 1 / 3, dtype=torch.float64), "a probability target has the logits' shape (N, C)"),
    ]
    for target, hint in cases:
        with checks.raises(
            ValueError, f"cross_entropy(logits of shape (3, 4), target={target.tolist()})", hint=hint
        ):
            learner.cross_entropy(logits, target)


@pytest.mark.task("multi_margin_loss", points=1)
def test_multi_margin_invalid_arguments_raise(learner):
    x, y = T([[0.1, 0.2, 0.4], [1.0, 0.0, -1.0]]), T([2, 0], torch.int64)
    cases = [
        ((x, y), {"p": 3}, "only p = 1 and p = 2 are supported"),
        ((x, T([2, 3], torch.int64)), {}, "classes must lie in [0, C)"),
        ((x, T([2], torch.int64)), {}, "y must have shape (N,)"),
        ((x, y), {"reduction": "avg"}, "reduction must be 'none', 'mean' or 'sum'"),
        ((x, y), {"weight": T([1.0, 2.0])}, "weight must have shape (C,)"),
    ]
    for args, kwargs, hint in cases:
        with checks.raises(
            ValueError, f"multi_margin_loss(x of shape (2, 3), y={args[1].tolist()}, **{kwargs})", hint=hint
        ):
            learner.multi_margin_loss(*args, **kwargs)

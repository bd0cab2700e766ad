"""Hidden grader for scaled_dot_product_attention.

Oracle: ``torch.nn.functional.scaled_dot_product_attention`` (torch 2.13, CPU, float64) with every argument
passed explicitly (``attn_mask``, ``dropout_p=0.0``, ``is_causal``, ``scale``), and ``torch.autograd.grad`` on it
for gradients. Conventions pinned: bool mask True = attend, float mask added, causal mask ``ones(L, S).tril()``
(top-left), default scale ``1/sqrt(E)``, fully blocked rows give zeros (what torch 2.13 returns). Shapes use a
distinct size for every axis so that transpositions cannot pass.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

ORACLE = "torch.nn.functional.scaled_dot_product_attention"
ATOL, RTOL = 1e-10, 1e-8


def randn(*shape: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(shape)).to(dtype)


def oracle(q, k, v, *, attn_mask=None, is_causal=False, scale=None) -> torch.Tensor:
    return functional.scaled_dot_product_attention(
        q, k, v, attn_mask=attn_mask, dropout_p=0.0, is_causal=is_causal, scale=scale
    )


def oracle_grads(q, k, v, g, *, attn_mask=None, is_causal=False, scale=None, wrt_mask=False):
    inputs = [t.detach().clone().requires_grad_(True) for t in (q, k, v)]
    mask = attn_mask
    if wrt_mask:
        mask = attn_mask.detach().clone().requires_grad_(True)
        inputs.append(mask)
    out = oracle(*inputs[:3], attn_mask=mask, is_causal=is_causal, scale=scale)
    return torch.autograd.grad(out, inputs, g)


def agree(got, expected, call, hint, *, atol=ATOL, rtol=RTOL):
    checks.array_close(got, expected.detach().numpy(), call, atol=atol, rtol=rtol, oracle=ORACLE, hint=hint)


def qkv(*, batch=(), L=3, S=5, E=4, Ev=2, seed=0):
    return (
        randn(*batch, L, E, seed=seed),
        randn(*batch, S, E, seed=seed + 1),
        randn(*batch, S, Ev, seed=seed + 2),
    )


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("attention", points=1)
def test_worked_example_equal_keys_average_the_values(learner):
    q = torch.tensor([[1.0, 0.0]])
    k = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    v = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    checks.array_close(
        learner.sdpa(q, k, v),
        [[2.0, 3.0]],
        learner.last_call,
        atol=1e-6,
        hint="equal scores give equal weights, so the output is the mean of the values",
    )


@pytest.mark.task("masks", points=1)
def test_worked_example_bool_mask_keeps_true_keys(learner):
    q = torch.tensor([[1.0, 0.0]])
    k = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    v = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    checks.array_close(
        learner.sdpa(q, k, v, attn_mask=torch.tensor([[True, False]])),
        [[1.0, 2.0]],
        learner.last_call,
        atol=1e-6,
        hint="a boolean mask marks with True the keys that TAKE PART in attention (SDPA's convention)",
    )


@pytest.mark.task("attention", points=1)
def test_worked_example_one_query_two_keys(learner):
    q = torch.tensor([[[1.0, 2.0, 0.0, 1.0]]], dtype=torch.float64)
    k = torch.tensor([[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]], dtype=torch.float64)
    v = torch.tensor([[[10.0], [20.0]]], dtype=torch.float64)
    # scores (1, 2) / sqrt(4) = (0.5, 1.0); weights = softmax; output = weights @ (10, 20)
    w1 = 1 / (1 + math.exp(-0.5))
    checks.array_close(
        learner.sdpa(q, k, v),
        [[[10 * (1 - w1) + 20 * w1]]],
        learner.last_call,
        hint="scores = q @ k^T / sqrt(E) with E = 4 the query size; softmax over the keys; weights @ v",
    )


# -- named edge cases: scale ------------------------------------------------------------------------------


@pytest.mark.task("attention", points=2)
def test_default_scale_is_one_over_sqrt_of_query_size(learner):
    # E = 4, S = 9, Ev = 16, L = 2: 1/sqrt(E), 1/E, 1/sqrt(S), 1/sqrt(Ev) are all different.
    q, k, v = qkv(L=2, S=9, E=4, Ev=16, seed=10)
    agree(
        learner.sdpa(q, k, v),
        oracle(q, k, v, scale=None),
        learner.last_call,
        "the default scale is 1/sqrt(E), E = q.shape[-1] (not 1/E, not the number of keys, not the value size)",
    )


@pytest.mark.task("attention", points=1)
@pytest.mark.parametrize("scale", [0.37, 2.5])
def test_custom_scale_replaces_the_default(learner, scale):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=11)
    agree(
        learner.sdpa(q, k, v, scale=scale),
        oracle(q, k, v, scale=scale),
        learner.last_call,
        "scale multiplies q @ k^T and replaces 1/sqrt(E); it is not applied on top of it",
    )


@pytest.mark.task("attention", points=1)
def test_scale_zero_gives_uniform_weights(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=12)
    expected = v.mean(dim=-2, keepdim=True).expand(3, 2)
    agree(
        learner.sdpa(q, k, v, scale=0.0),
        expected,
        learner.last_call,
        "scale=0.0 is a valid scale (all scores 0, uniform weights); only None means the default: "
        "test `scale is None`, not `not scale`",
    )


@pytest.mark.task("attention", points=1)
def test_weights_normalise_over_the_keys(learner):
    # v = identity of size S: the output is the attention weight matrix itself, (L, S) with L != S.
    q, k, _ = qkv(L=3, S=5, E=4, seed=13)
    v = torch.eye(5, dtype=torch.float64)
    got = checks.array_close(
        learner.sdpa(q, k, v),
        oracle(q, k, v).numpy(),
        learner.last_call,
        atol=ATOL,
        rtol=RTOL,
        oracle=ORACLE,
        hint="softmax runs over the LAST axis of the scores (the keys): each query's weights sum to 1",
    )
    checks.array_close(
        got.sum(axis=-1), np.ones(3), learner.last_call + " @ ... row sums", atol=1e-9, hint="rows sum to one"
    )


@pytest.mark.task("attention", points=1)
def test_large_logits_are_stable(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=14)
    q = q * 1000.0
    got = checks.as_array(learner.sdpa(q, k, v), learner.last_call)
    if not np.isfinite(got).all():
        checks.fail(
            learner.last_call,
            "Returned non-finite values (inf or NaN) for scores of about 1e3",
            "finite outputs",
            "exp(1000) overflows: subtract each row's maximum before exponentiating (or use torch.softmax)",
        )
    agree(got, oracle(q, k, v), learner.last_call, "softmax must be computed stably", atol=1e-8)


# -- named edge cases: masks ------------------------------------------------------------------------------


def bool_mask(L: int, S: int, seed: int) -> torch.Tensor:
    """A random boolean mask with at least one True per row (no fully blocked rows)."""
    rng = np.random.default_rng(seed)
    mask = rng.random((L, S)) < 0.5
    mask[np.arange(L), rng.integers(0, S, L)] = True
    return torch.from_numpy(mask)


@pytest.mark.task("masks", points=2)
def test_bool_mask_true_means_take_part(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=20)
    mask = torch.tensor(
        [
            [True, False, True, False, False],
            [False, False, False, True, True],
            [True, True, True, True, False],
        ]
    )
    agree(
        learner.sdpa(q, k, v, attn_mask=mask),
        oracle(q, k, v, attn_mask=mask),
        learner.last_call,
        "SDPA's boolean mask is True where the key takes part (masked_fill(~mask, -inf) BEFORE the softmax); "
        "nn.MultiheadAttention uses the opposite convention",
    )


@pytest.mark.task("masks", points=1)
def test_single_allowed_key_returns_its_value(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=21)
    mask = torch.zeros(3, 5, dtype=torch.bool)
    mask[0, 4] = mask[1, 0] = mask[2, 2] = True
    agree(
        learner.sdpa(q, k, v, attn_mask=mask),
        v[[4, 0, 2]],
        learner.last_call,
        "with one allowed key per query all the weight goes to it: block with -inf before the softmax, so the "
        "remaining weights renormalise",
    )


@pytest.mark.task("masks", points=2)
def test_float_mask_is_added_to_the_scores(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=22)
    mask = randn(3, 5, seed=23) * 2.0
    agree(
        learner.sdpa(q, k, v, attn_mask=mask),
        oracle(q, k, v, attn_mask=mask),
        learner.last_call,
        "a floating mask is an additive bias on the scaled scores (scores + mask), not a multiplier or a "
        "boolean",
    )


@pytest.mark.task("masks", points=1)
def test_float_mask_with_minus_inf_blocks(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=24)
    mask = torch.zeros(3, 5, dtype=torch.float64)
    mask[:, 1] = float("-inf")
    mask[0, 3] = float("-inf")
    agree(
        learner.sdpa(q, k, v, attn_mask=mask),
        oracle(q, k, v, attn_mask=mask),
        learner.last_call,
        "adding -inf to a score gives that key weight 0; zeros in a float mask change nothing",
    )


@pytest.mark.task("masks", points=1)
def test_mask_broadcasts_over_batch_and_heads(learner):
    q, k, v = qkv(batch=(2, 3), L=4, S=5, E=6, Ev=7, seed=25)
    mask = bool_mask(4, 5, seed=26)
    agree(
        learner.sdpa(q, k, v, attn_mask=mask),
        oracle(q, k, v, attn_mask=mask),
        learner.last_call,
        "an (L, S) mask applies to every batch element and head: let it broadcast against (..., L, S)",
    )
    per_batch = bool_mask(2 * 4, 5, seed=27).reshape(2, 1, 4, 5)
    agree(
        learner.sdpa(q, k, v, attn_mask=per_batch),
        oracle(q, k, v, attn_mask=per_batch),
        learner.last_call,
        "a (B, 1, L, S) mask broadcasts over the heads axis",
    )


@pytest.mark.task("masks", points=1)
def test_causal_includes_the_diagonal(learner):
    q, k, v = qkv(L=4, S=4, E=3, Ev=2, seed=28)
    got = learner.sdpa(q, k, v, is_causal=True)
    agree(
        got,
        oracle(q, k, v, is_causal=True),
        learner.last_call,
        "query i attends to keys 0..i, itself included: the mask is ones(L, S).tril(), diagonal kept",
    )


@pytest.mark.task("masks", points=2)
@pytest.mark.parametrize(("L", "S"), [(5, 3), (3, 5)])
def test_causal_is_top_left_aligned_when_L_ne_S(learner, L, S):
    q, k, v = qkv(L=L, S=S, E=4, Ev=2, seed=29)
    agree(
        learner.sdpa(q, k, v, is_causal=True),
        oracle(q, k, v, is_causal=True),
        learner.last_call,
        "torch's causal mask is ones(L, S).tril(diagonal=0), aligned at the TOP-LEFT corner: query i sees keys "
        "j <= i whatever S is (not the bottom-right alignment used for KV caches)",
    )


@pytest.mark.task("contract", points=1)
def test_fully_blocked_row_gives_zeros(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=30)
    mask = bool_mask(3, 5, seed=31)
    mask[1] = False
    expected = oracle(q, k, v, attn_mask=mask)  # torch 2.13: zeros for the blocked row
    agree(
        learner.sdpa(q, k, v, attn_mask=mask),
        expected,
        learner.last_call,
        "a query whose keys are all blocked has no softmax (0/0 = NaN): like torch 2.13, give that row zero "
        "weights (so a zero output) and keep the other rows as they are",
    )


# -- agreement with the oracle on generated inputs --------------------------------------------------------

MASK_KINDS = ["none", "bool", "float", "causal"]


@st.composite
def problems(draw):
    batch = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    L, S, E, Ev = (draw(st.integers(1, 6)) for _ in range(4))
    seed = draw(st.integers(0, 2**31))
    kind = draw(st.sampled_from(MASK_KINDS))
    scale = draw(st.one_of(st.none(), st.floats(0.05, 3.0)))
    q, k, v = qkv(batch=batch, L=L, S=S, E=E, Ev=Ev, seed=seed)
    mask = None
    if kind == "bool":
        mask = bool_mask(L, S, seed + 3)
    elif kind == "float":
        mask = randn(L, S, seed=seed + 4)
    return q, k, v, mask, kind == "causal", scale


@pytest.mark.task("attention", points=1)
@settings(max_examples=50, deadline=None)
@given(problem=problems())
def test_matches_torch_on_random_inputs(learner, problem):
    q, k, v, mask, causal, scale = problem
    agree(
        learner.sdpa(q, k, v, attn_mask=mask, is_causal=causal, scale=scale),
        oracle(q, k, v, attn_mask=mask, is_causal=causal, scale=scale),
        learner.last_call,
        "compare your steps with the math reference in torch's docs: scale, mask, softmax over keys, @ v",
    )


# -- invariants -------------------------------------------------------------------------------------------


@pytest.mark.task("contract", points=1)
def test_batched_matches_unbatched(learner):
    q, k, v = qkv(batch=(3,), L=4, S=5, E=2, Ev=6, seed=40)
    mask = bool_mask(4, 5, seed=41)
    batched = checks.as_array(learner.sdpa(q, k, v, attn_mask=mask), learner.last_call)
    for b in range(3):
        checks.array_close(
            batched[b],
            checks.as_array(learner.sdpa(q[b], k[b], v[b], attn_mask=mask), learner.last_call),
            f"sdpa(q[{b}], k[{b}], v[{b}], attn_mask=mask) against sdpa(q, k, v, attn_mask=mask)[{b}]",
            atol=1e-10,
            hint="batch element b of a batched call must equal the unbatched call on element b",
        )


@pytest.mark.task("attention", points=1)
def test_permuting_keys_and_values_together_changes_nothing(learner):
    q, k, v = qkv(L=3, S=6, E=4, Ev=5, seed=42)
    perm = torch.tensor([4, 2, 5, 0, 1, 3])
    first = checks.as_array(learner.sdpa(q, k, v), learner.last_call)
    checks.array_close(
        learner.sdpa(q, k[perm], v[perm]),
        first,
        "sdpa(q, k[perm], v[perm]) against sdpa(q, k, v)",
        atol=1e-10,
        hint="attention is a weighted average over the set of (key, value) pairs; their order does not matter",
    )


@pytest.mark.task("contract", points=1)
def test_float32_in_float32_out(learner):
    q, k, v = qkv(batch=(2,), L=3, S=5, E=4, Ev=6, seed=43)
    got = learner.sdpa(q.float(), k.float(), v.float())
    if not isinstance(got, torch.Tensor) or got.dtype != torch.float32:
        checks.fail(
            learner.last_call,
            f"Returned {type(got).__name__} of dtype {getattr(got, 'dtype', None)}",
            "a torch.float32 tensor",
            "keep the inputs' dtype: stay in torch, do not convert to NumPy or float64",
        )
    agree(got, oracle(q, k, v), learner.last_call, "float32 inputs", atol=1e-5, rtol=1e-4)


# -- gradients --------------------------------------------------------------------------------------------


@pytest.mark.task("gradients", points=3)
@settings(max_examples=25, deadline=None)
@given(problem=problems())
def test_gradients_match_autograd(learner, problem):
    q, k, v, mask, causal, scale = problem
    shape = (*torch.broadcast_shapes(q.shape[:-2], k.shape[:-2]), q.shape[-2], v.shape[-1])
    g = randn(*shape, seed=7)
    out, grads = learner.sdpa.with_grad(
        q, k, v, wrt=(0, 1, 2), grad_output=g, attn_mask=mask, is_causal=causal, scale=scale
    )
    expected = oracle_grads(q, k, v, g, attn_mask=mask, is_causal=causal, scale=scale)
    call = learner.last_call
    agree(out, oracle(q, k, v, attn_mask=mask, is_causal=causal, scale=scale), call, "forward first")
    for name, got, exp in zip("qkv", grads, expected, strict=True):
        agree(
            got,
            exp,
            f"{call}: gradient with respect to {name}",
            f"the gradient of sum(out * g) with respect to {name} was compared with torch.autograd on the "
            "oracle; build the result from differentiable torch operations only (no .detach(), .numpy(), "
            "in-place writes into the inputs or torch.no_grad())",
        )


@pytest.mark.task("gradients", points=1)
def test_gradient_reaches_a_float_mask(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=50)
    mask = randn(3, 5, seed=51)
    g = randn(3, 2, seed=52)
    _, (gmask,) = learner.sdpa.with_grad(q, k, v, mask, wrt=(3,), grad_output=g)
    expected = oracle_grads(q, k, v, g, attn_mask=mask, wrt_mask=True)[3]
    agree(
        gmask,
        expected,
        learner.last_call + ": gradient with respect to attn_mask",
        "a float mask is added to the scores, so it receives the same gradient as the scores (a learned "
        "relative-position bias trains this way)",
    )


@pytest.mark.task("gradients", points=1)
def test_blocked_keys_get_no_gradient(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=53)
    mask = torch.ones(3, 5, dtype=torch.bool)
    mask[:, 2] = False
    mask[1] = False
    _, (gq, gk, gv) = learner.sdpa.with_grad(q, k, v, wrt=(0, 1, 2), attn_mask=mask)
    expected = oracle_grads(q, k, v, torch.ones(3, 2, dtype=torch.float64), attn_mask=mask)
    call = learner.last_call
    for name, got, exp in zip("qkv", (gq, gk, gv), expected, strict=True):
        agree(
            got,
            exp,
            f"{call}: gradient with respect to {name}",
            "a blocked key (column 2) and a fully blocked query (row 1) take no part in the output, so their "
            "gradients are exactly zero, never NaN",
        )


# -- error contract ---------------------------------------------------------------------------------------


def _raises(learner, label, hint, *args, **kwargs):
    with checks.raises(ValueError, label, hint=hint):
        learner.sdpa(*args, **kwargs)


@pytest.mark.task("contract", points=1)
def test_mismatched_feature_sizes_raise(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=60)
    _raises(
        learner,
        "sdpa(q (3, 4), k (5, 3), v (5, 2))",
        "q and k must share their last dimension E: check it and raise ValueError",
        q,
        k[:, :3],
        v,
    )
    _raises(
        learner,
        "sdpa(q (3, 4), k (5, 4), v (4, 2))",
        "there is one value per key: k.shape[-2] must equal v.shape[-2]",
        q,
        k,
        v[:4],
    )


@pytest.mark.task("contract", points=1)
def test_invalid_arguments_raise(learner):
    q, k, v = qkv(L=3, S=5, E=4, Ev=2, seed=61)
    _raises(
        learner,
        "sdpa(q, k, v, attn_mask=mask, is_causal=True)",
        "attn_mask and is_causal cannot be combined (torch refuses it too)",
        q,
        k,
        v,
        attn_mask=torch.ones(3, 5, dtype=torch.bool),
        is_causal=True,
    )
    _raises(
        learner,
        "sdpa(q (4,), k (5, 4), v (5, 2))",
        "inputs need at least 2 dimensions (positions, features)",
        q[0],
        k,
        v,
    )
    _raises(
        learner,
        "sdpa(q (3, 4), k (5, 4), v (5, 2), attn_mask of shape (3, 4))",
        "the mask must broadcast to (..., L, S)",
        q,
        k,
        v,
        attn_mask=torch.ones(3, 4, dtype=torch.bool),
    )

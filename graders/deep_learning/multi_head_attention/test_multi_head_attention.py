"""Hidden grader for multi_head_attention.

Oracle: ``torch.nn.MultiheadAttention(E, h, dropout=0.0, bias=..., add_bias_kv=False, add_zero_attn=False,
kdim=None, vdim=None, batch_first=..., dtype=torch.float64)`` in eval mode with random weights and NON-ZERO biases
copied into the learner's layer, and ``torch.nn.functional.multi_head_attention_forward`` (training=False,
need_weights=False) with ``torch.autograd.grad`` for gradients (torch 2.13, CPU, float64). Conventions pinned:
in_proj stacked q|k|v, scale 1/sqrt(E/h), heads = contiguous blocks of E/h features, key_padding_mask and bool
attn_mask True = blocked, float masks added, weights averaged over heads by default. Fully padded rows (NaN in
torch) are never sent. Every axis gets a distinct size so that transpositions cannot pass.

The engine cannot call a remote object directly or differentiate through a method, so the grader calls
``layer.forward(...)`` and takes gradients through the module-level ``multi_head_attention`` function.
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

ORACLE = "torch.nn.MultiheadAttention"
ATOL, RTOL = 1e-10, 1e-8


def randn(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(shape))


def torch_layer(E: int, h: int, *, bias: bool = True, batch_first: bool = True, seed: int = 0):
    torch.manual_seed(0)  # construction only; every weight is overwritten below from a seeded NumPy generator
    mha = torch.nn.MultiheadAttention(
        E,
        h,
        dropout=0.0,
        bias=bias,
        add_bias_kv=False,
        add_zero_attn=False,
        kdim=None,
        vdim=None,
        batch_first=batch_first,
        dtype=torch.float64,
    ).eval()
    with torch.no_grad():
        for i, (_, p) in enumerate(sorted(mha.named_parameters())):
            p.copy_(randn(*p.shape, seed=seed * 10 + i) * 0.5)
    return mha


def weights_of(mha) -> dict[str, torch.Tensor | None]:
    return {
        "in_proj_weight": mha.in_proj_weight.detach().clone(),
        "in_proj_bias": None if mha.in_proj_bias is None else mha.in_proj_bias.detach().clone(),
        "out_proj_weight": mha.out_proj.weight.detach().clone(),
        "out_proj_bias": None if mha.out_proj.bias is None else mha.out_proj.bias.detach().clone(),
    }


def pair(learner, E, h, *, bias=True, batch_first=True, seed=0):
    """The torch oracle layer and the learner's layer with the same weights, set attribute by attribute."""
    mha = torch_layer(E, h, bias=bias, batch_first=batch_first, seed=seed)
    layer = learner.MultiHeadAttention(E, h, bias=bias, batch_first=batch_first)
    for name, value in weights_of(mha).items():
        setattr(layer, name, value)
    return mha, layer


def oracle(mha, q, k, v, **kwargs):
    with torch.no_grad():
        out, w = mha(q, k, v, **kwargs)
    return out, w


def inputs(N, L, S, E, *, batch_first=True, seed=0):
    q, k, v = randn(N, L, E, seed=seed), randn(N, S, E, seed=seed + 1), randn(N, S, E, seed=seed + 2)
    if not batch_first:
        q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
    return q, k, v


def padding_mask(N, S, seed):
    """Random key padding (True = ignore) that never pads every key of a row."""
    rng = np.random.default_rng(seed)
    mask = rng.random((N, S)) < 0.4
    mask[np.arange(N), rng.integers(0, S, N)] = False
    return torch.from_numpy(mask)


def compare(learner, layer, mha, q, k, v, hint, *, label="", **kwargs):  # noqa: PLR0917
    got = layer.forward(q, k, v, **kwargs)
    call = label or learner.last_call
    expected_out, expected_w = oracle(mha, q, k, v, **kwargs)
    if not isinstance(got, tuple) or len(got) != 2:
        checks.fail(
            call, f"Returned {type(got).__name__}", "a tuple (output, weights)", "return (out, weights)"
        )
    out, w = got
    checks.array_close(
        out, expected_out.numpy(), call + " -> output", atol=ATOL, rtol=RTOL, oracle=ORACLE, hint=hint
    )
    if expected_w is None:
        if w is not None:
            checks.fail(
                call, "Returned weights", "None for the weights", "need_weights=False returns (out, None)"
            )
    else:
        checks.array_close(
            w, expected_w.numpy(), call + " -> weights", atol=ATOL, rtol=RTOL, oracle=ORACLE, hint=hint
        )


# -- worked examples --------------------------------------------------------------------------------------


@pytest.mark.task("forward", points=1)
def test_worked_example_identity_weights_give_the_input_back(learner):
    E = 4
    layer = learner.MultiHeadAttention(E, 2)
    layer.in_proj_weight = torch.eye(E).repeat(3, 1)
    layer.out_proj_weight = torch.eye(E)
    x = torch.ones(1, 3, E)
    out, w = layer.forward(x, x, x)
    call = "MultiHeadAttention(4, 2) with identity projections, zero biases: forward(ones(1, 3, 4), ...)"
    checks.array_close(
        out, np.ones((1, 3, E)), call, atol=1e-6, hint="identical values average to themselves"
    )
    checks.array_close(
        w, np.full((1, 3, 3), 1 / 3), call + " -> weights", atol=1e-6, hint="equal keys: 1/S each"
    )


@pytest.mark.task("layer", points=1)
def test_worked_example_attribute_shapes(learner):
    layer = learner.MultiHeadAttention(embed_dim=4, num_heads=2)
    call = "MultiHeadAttention(embed_dim=4, num_heads=2)"
    checks.equal(
        tuple(checks.as_array(layer.in_proj_weight, call).shape), (12, 4), call + ".in_proj_weight.shape"
    )
    checks.equal(int(layer.head_dim), 2, call + ".head_dim", hint="head_dim = embed_dim // num_heads")


# -- the layer --------------------------------------------------------------------------------------------


@pytest.mark.task("layer", points=1)
@pytest.mark.parametrize("bias", [True, False])
def test_construction_allocates_torch_shaped_weights(learner, bias):
    E, h = 6, 3
    layer = learner.MultiHeadAttention(E, h, bias=bias, batch_first=False)
    call = f"MultiHeadAttention({E}, {h}, bias={bias}, batch_first=False)"
    checks.equal(int(layer.embed_dim), E, call + ".embed_dim")
    checks.equal(int(layer.num_heads), h, call + ".num_heads")
    checks.equal(bool(layer.batch_first), False, call + ".batch_first", hint="store the argument")
    expected = {"in_proj_weight": (3 * E, E), "out_proj_weight": (E, E)}
    if bias:
        expected |= {"in_proj_bias": (3 * E,), "out_proj_bias": (E,)}
    for name, shape in expected.items():
        got = checks.as_array(getattr(layer, name), f"{call}.{name}")
        if got.shape != shape:
            checks.fail(
                f"{call}.{name}",
                f"Returned shape {got.shape}",
                f"shape {shape}",
                "torch's layout: in_proj_weight stacks W_q, W_k, W_v, each (E, E), into (3E, E)",
            )
        checks.array_close(got, np.zeros(shape), f"{call}.{name}", hint="weights start at zero")
    if not bias:
        for name in ("in_proj_bias", "out_proj_bias"):
            if getattr(layer, name) is not None:
                checks.fail(
                    f"{call}.{name}", "Returned a tensor", "None", "bias=False means no biases at all"
                )


@pytest.mark.task("layer", points=1)
@pytest.mark.parametrize("bias", [True, False])
def test_load_state_dict_takes_torch_weights(learner, bias):
    E, h = 8, 2
    mha = torch_layer(E, h, bias=bias, seed=3)
    layer = learner.MultiHeadAttention(E, h, bias=bias)
    state = {name: t.detach().clone() for name, t in mha.state_dict().items()}
    back = layer.load_state_dict(state)
    call = f"MultiHeadAttention({E}, {h}, bias={bias}).load_state_dict(torch_mha.state_dict())"
    checks.array_close(
        layer.in_proj_weight,
        state["in_proj_weight"].numpy(),
        call + "; .in_proj_weight",
        hint="copy it as it is",
    )
    checks.array_close(
        layer.out_proj_weight,
        state["out_proj.weight"].numpy(),
        call + "; .out_proj_weight",
        hint="torch names it 'out_proj.weight' (the out_proj Linear's weight)",
    )
    if bias:
        checks.array_close(layer.out_proj_bias, state["out_proj.bias"].numpy(), call + "; .out_proj_bias")
    q, k, v = inputs(2, 3, 5, E, seed=4)
    compare(
        learner,
        back,
        mha,
        q,
        k,
        v,
        "load_state_dict returns self, and the loaded layer computes what torch's does",
    )


@pytest.mark.task("layer", points=1)
@pytest.mark.parametrize(("E", "h"), [(6, 4), (6, 0)])
def test_invalid_construction_raises(learner, E, h):
    with checks.raises(
        ValueError,
        f"MultiHeadAttention({E}, {h})",
        hint="embed_dim must be split evenly into num_heads > 0 heads: raise ValueError otherwise",
    ):
        learner.MultiHeadAttention(E, h)


# -- forward against torch --------------------------------------------------------------------------------


@pytest.mark.task("forward", points=2)
def test_self_attention_matches_torch(learner):
    mha, layer = pair(learner, 6, 3, seed=1)
    x = randn(2, 4, 6, seed=5)
    compare(
        learner,
        layer,
        mha,
        x,
        x,
        x,
        "q = x W_q^T + b_q (likewise k, v) with in_proj_weight = [W_q; W_k; W_v]; split E into h heads of E/h "
        "features; softmax(q_i k_i^T / sqrt(E/h)) v_i per head; concatenate; out_proj",
    )


@pytest.mark.task("forward", points=2)
def test_cross_attention_with_L_ne_S(learner):
    mha, layer = pair(learner, 8, 2, seed=2)
    q, k, v = inputs(3, 4, 7, 8, seed=6)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "queries, keys and values are different tensors of different lengths: W_q projects the query, W_k the "
        "key, W_v the value (chunks 0, 1, 2 of in_proj_weight, applied as x @ W.T)",
    )


@pytest.mark.task("forward", points=1)
def test_scale_uses_the_head_size(learner):
    mha, layer = pair(learner, 8, 4, seed=7)
    q, k, v = inputs(2, 3, 5, 8, seed=8)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "each head's scores are divided by sqrt(E/h) = sqrt(head_dim), not sqrt(E)",
    )


@pytest.mark.task("forward", points=1)
def test_out_proj_bias_is_applied(learner):
    mha, layer = pair(learner, 6, 2, seed=9)
    layer.in_proj_bias = torch.zeros(18, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_bias.zero_()
    q, k, v = inputs(2, 3, 4, 6, seed=10)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "the output projection is a Linear layer: out @ W_o^T + b_o, bias included",
    )


@pytest.mark.task("forward", points=1)
def test_single_head_is_plain_attention(learner):
    mha, layer = pair(learner, 5, 1, seed=11)
    q, k, v = inputs(2, 3, 4, 5, seed=12)
    compare(learner, layer, mha, q, k, v, "with one head, scale 1/sqrt(E) and no split")


@pytest.mark.task("forward", points=1)
def test_heads_are_contiguous_feature_blocks(learner):
    # h = 3 heads of 2 features: head i owns projected features 2i, 2i+1 (view(N, L, h, d).transpose(1, 2)).
    mha, layer = pair(learner, 6, 3, seed=13)
    q, k, v = inputs(1, 4, 5, 6, seed=14)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "split (N, L, E) into (N, L, h, E/h) and THEN move the head axis: .view(N, L, h, d).transpose(1, 2); "
        "merge back with the inverse, transpose then reshape",
        average_attn_weights=False,
    )


# -- masks ------------------------------------------------------------------------------------------------


@pytest.mark.task("masks", points=2)
def test_key_padding_mask_true_means_ignore(learner):
    mha, layer = pair(learner, 6, 2, seed=20)
    q, k, v = inputs(2, 3, 5, 6, seed=21)
    kpm = torch.tensor([[False, True, False, False, True], [True, False, False, True, False]])
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "key_padding_mask is True where the key is PADDING and must be ignored: the opposite of SDPA's bool "
        "mask. Pad with -inf before the softmax",
        key_padding_mask=kpm,
    )


@pytest.mark.task("masks", points=2)
def test_bool_attn_mask_true_means_blocked(learner):
    mha, layer = pair(learner, 6, 3, seed=22)
    q, k, v = inputs(2, 4, 4, 6, seed=23)
    causal = torch.ones(4, 4, dtype=torch.bool).triu(1)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "MultiheadAttention's bool attn_mask is True where attention is NOT allowed (a causal mask is "
        "ones(L, L).triu(1)); SDPA uses the opposite convention",
        attn_mask=causal,
    )


@pytest.mark.task("masks", points=1)
def test_float_masks_are_added(learner):
    mha, layer = pair(learner, 6, 2, seed=24)
    q, k, v = inputs(2, 3, 5, 6, seed=25)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "floating masks (attn_mask and key_padding_mask alike) are added to the scaled scores",
        attn_mask=randn(3, 5, seed=26),
        key_padding_mask=randn(2, 5, seed=27),
    )


@pytest.mark.task("masks", points=2)
def test_per_head_attn_mask_is_batch_major(learner):
    N, h, L, S = 2, 3, 4, 5
    mha, layer = pair(learner, 6, h, seed=28)
    q, k, v = inputs(N, L, S, 6, seed=29)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "a 3-D attn_mask has shape (N * h, L, S); row n * h + i is for batch element n and head i, so it "
        "reshapes to (N, h, L, S), not (h, N, L, S)",
        attn_mask=randn(N * h, L, S, seed=30),
        average_attn_weights=False,
    )


@pytest.mark.task("masks", points=1)
def test_padding_and_causal_masks_combine(learner):
    mha, layer = pair(learner, 8, 4, seed=31)
    q, k, v = inputs(3, 5, 5, 8, seed=32)
    kpm = padding_mask(3, 5, seed=33)
    kpm[:, 0] = False  # key 0 stays, so every causal row keeps a key
    causal = torch.ones(5, 5, dtype=torch.bool).triu(1)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "both masks apply at once: a key is blocked if either mask blocks it",
        key_padding_mask=kpm,
        attn_mask=causal,
    )


# -- outputs: weights, layouts, unbatched -----------------------------------------------------------------


@pytest.mark.task("outputs", points=1)
def test_need_weights_false_returns_none(learner):
    mha, layer = pair(learner, 6, 2, seed=40)
    q, k, v = inputs(2, 3, 5, 6, seed=41)
    compare(learner, layer, mha, q, k, v, "need_weights=False returns (output, None)", need_weights=False)


@pytest.mark.task("outputs", points=1)
def test_weights_are_averaged_over_heads_by_default(learner):
    mha, layer = pair(learner, 6, 3, seed=42)
    q, k, v = inputs(2, 4, 5, 6, seed=43)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "by default the returned weights are the MEAN over the heads, of shape (N, L, S)",
    )


@pytest.mark.task("outputs", points=1)
def test_per_head_weights_when_not_averaged(learner):
    mha, layer = pair(learner, 6, 3, seed=44)
    q, k, v = inputs(2, 4, 5, 6, seed=45)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "average_attn_weights=False returns every head's weights, shape (N, h, L, S)",
        average_attn_weights=False,
    )


@pytest.mark.task("outputs", points=1)
def test_batch_first_false_is_sequence_first(learner):
    mha, layer = pair(learner, 6, 2, batch_first=False, seed=46)
    q, k, v = inputs(2, 3, 5, 6, batch_first=False, seed=47)
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        "batch_first=False: inputs and output are (L, N, E); the weights stay (N, L, S)",
        key_padding_mask=padding_mask(2, 5, seed=48),
    )


@pytest.mark.task("outputs", points=1)
def test_unbatched_matches_torch_and_the_batched_call(learner):
    mha, layer = pair(learner, 6, 3, seed=49)
    q, k, v = inputs(3, 4, 5, 6, seed=50)
    compare(
        learner,
        layer,
        mha,
        q[1],
        k[1],
        v[1],
        "unbatched (L, E) inputs give an (L, E) output and (L, S) weights",
        key_padding_mask=padding_mask(1, 5, seed=51)[0],
    )
    batched_out, _ = layer.forward(q, k, v)
    batched = checks.as_array(batched_out, learner.last_call)
    for n in range(3):
        single, _ = layer.forward(q[n], k[n], v[n])
        checks.array_close(
            single,
            batched[n],
            f"layer.forward(q[{n}], k[{n}], v[{n}]) against layer.forward(q, k, v)[0][{n}]",
            atol=1e-10,
            hint="batch element n of a batched call equals the unbatched call on element n",
        )


@pytest.mark.task("outputs", points=1)
def test_float32_weights_and_inputs(learner):
    mha, layer = pair(learner, 6, 2, seed=52)
    for name, value in weights_of(mha).items():
        setattr(layer, name, value.float())
    q, k, v = inputs(2, 3, 5, 6, seed=53)
    out, _ = layer.forward(q.float(), k.float(), v.float())
    expected, _ = oracle(mha, q, k, v)
    checks.array_close(
        out,
        expected.numpy(),
        learner.last_call,
        atol=1e-5,
        rtol=1e-4,
        oracle=ORACLE,
        hint="the layer works in float32 as well",
    )


# -- agreement with the oracle on generated configurations ------------------------------------------------


@st.composite
def configs(draw):
    h = draw(st.integers(1, 3))
    E = h * draw(st.integers(1, 3))
    N, L, S = draw(st.integers(1, 3)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return {
        "E": E,
        "h": h,
        "N": N,
        "L": L,
        "S": S,
        "bias": draw(st.booleans()),
        "batch_first": draw(st.booleans()),
        "masks": draw(st.sampled_from(["none", "padding", "attn", "float", "both"])),
        "average": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**20)),
    }


def masks_for(c):
    kwargs = {}
    N, L, S, h, seed = c["N"], c["L"], c["S"], c["h"], c["seed"]
    if c["masks"] in ("padding", "both"):
        kwargs["key_padding_mask"] = padding_mask(N, S, seed + 5)
    if c["masks"] in ("attn", "both"):
        blocked = torch.from_numpy(np.random.default_rng(seed + 6).random((L, S)) < 0.3)
        blocked[:, 0] = False
        if "key_padding_mask" in kwargs:
            kwargs["key_padding_mask"][:, 0] = False
        kwargs["attn_mask"] = blocked
    if c["masks"] == "float":
        kwargs["attn_mask"] = randn(N * h, L, S, seed=seed + 7)
    return kwargs


@pytest.mark.task("forward", points=2)
@settings(max_examples=30, deadline=None)
@given(c=configs())
def test_matches_torch_on_random_configurations(learner, c):
    mha, layer = pair(learner, c["E"], c["h"], bias=c["bias"], batch_first=c["batch_first"], seed=c["seed"])
    q, k, v = inputs(c["N"], c["L"], c["S"], c["E"], batch_first=c["batch_first"], seed=c["seed"])
    compare(
        learner,
        layer,
        mha,
        q,
        k,
        v,
        f"configuration {c}",
        average_attn_weights=c["average"],
        **masks_for(c),
    )


# -- gradients through the functional form ----------------------------------------------------------------


def functional_oracle(q, k, v, W, b, Wo, bo, h, *, key_padding_mask=None, attn_mask=None, batch_first=True):  # noqa: PLR0917
    if batch_first:
        q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
    out, _ = functional.multi_head_attention_forward(
        q,
        k,
        v,
        embed_dim_to_check=W.shape[1],
        num_heads=h,
        in_proj_weight=W,
        in_proj_bias=b,
        bias_k=None,
        bias_v=None,
        add_zero_attn=False,
        dropout_p=0.0,
        out_proj_weight=Wo,
        out_proj_bias=bo,
        training=False,
        key_padding_mask=key_padding_mask,
        need_weights=False,
        attn_mask=attn_mask,
        average_attn_weights=True,
        is_causal=False,
    )
    return out.transpose(0, 1) if batch_first else out


@pytest.mark.task("gradients", points=1)
def test_functional_form_matches_the_layer(learner):
    mha, _ = pair(learner, 6, 3, seed=60)
    w = weights_of(mha)
    q, k, v = inputs(2, 3, 5, 6, seed=61)
    kpm = padding_mask(2, 5, seed=62)
    got = learner.multi_head_attention(
        q, k, v, w["in_proj_weight"], w["in_proj_bias"], w["out_proj_weight"], w["out_proj_bias"], 3,
        key_padding_mask=kpm,
    )  # fmt: skip
    expected, _ = oracle(mha, q, k, v, key_padding_mask=kpm)
    checks.array_close(
        got,
        expected.numpy(),
        learner.last_call,
        atol=ATOL,
        rtol=RTOL,
        oracle=ORACLE,
        hint="multi_head_attention(...) returns the output that MultiHeadAttention.forward computes",
    )


GRAD_NAMES = ("query", "key", "value", "in_proj_weight", "in_proj_bias", "out_proj_weight", "out_proj_bias")


@pytest.mark.task("gradients", points=3)
@settings(max_examples=15, deadline=None)
@given(c=configs())
def test_gradients_match_autograd(learner, c):
    mha = torch_layer(c["E"], c["h"], bias=True, seed=c["seed"])
    w = weights_of(mha)
    q, k, v = inputs(c["N"], c["L"], c["S"], c["E"], batch_first=c["batch_first"], seed=c["seed"])
    masks = masks_for(c)
    args = [q, k, v, w["in_proj_weight"], w["in_proj_bias"], w["out_proj_weight"], w["out_proj_bias"]]
    g = randn(*q.shape, seed=c["seed"] + 9)
    out, grads = learner.multi_head_attention.with_grad(
        *args, c["h"], wrt=tuple(range(7)), grad_output=g, batch_first=c["batch_first"], **masks
    )
    call = learner.last_call
    leaves = [t.detach().clone().requires_grad_(True) for t in args]
    expected_out = functional_oracle(*leaves, c["h"], batch_first=c["batch_first"], **masks)
    expected = torch.autograd.grad(expected_out, leaves, g)
    checks.array_close(out, expected_out.detach().numpy(), call, atol=ATOL, rtol=RTOL, oracle=ORACLE)
    for name, got, exp in zip(GRAD_NAMES, grads, expected, strict=True):
        checks.array_close(
            got,
            exp.numpy(),
            f"{call}: gradient with respect to {name}",
            atol=1e-9,
            rtol=1e-7,
            oracle="torch.autograd.grad on torch.nn.functional.multi_head_attention_forward",
            hint=f"the gradient of sum(out * g) with respect to {name} is compared with autograd; keep every "
            "step a differentiable torch operation on the given tensors (no .detach(), .numpy(), .data or "
            "copies into new leaf tensors)",
        )


# -- error contract ---------------------------------------------------------------------------------------


@pytest.mark.task("outputs", points=1)
def test_mismatched_shapes_raise(learner):
    _, layer = pair(learner, 6, 2, seed=70)
    q, k, v = inputs(2, 3, 5, 6, seed=71)
    cases = [
        ("layer.forward(q (2, 3, 4), k, v) with embed_dim 6", (q[..., :4], k, v), "query must have embed_dim features"),
        ("layer.forward(q, k (2, 5, 6), v (2, 4, 6))", (q, k, v[:, :4]), "key and value need the same shape"),
        ("layer.forward(q (2, 3, 6), k (3, 5, 6), v (3, 5, 6))", (q, randn(3, 5, 6), randn(3, 5, 6)), "batch sizes differ"),
        ("layer.forward(q (3, 6), k (2, 5, 6), v (2, 5, 6))", (q[0], k, v), "all 2-D or all 3-D"),
    ]  # fmt: skip
    for label, args, hint in cases:
        with checks.raises(ValueError, label, hint=hint + ": raise ValueError"):
            layer.forward(*args)


@pytest.mark.task("outputs", points=1)
def test_bad_mask_shapes_raise(learner):
    _, layer = pair(learner, 6, 2, seed=72)
    q, k, v = inputs(2, 3, 5, 6, seed=73)
    with checks.raises(
        ValueError,
        "layer.forward(q, k, v, key_padding_mask of shape (2, 4)) with S = 5",
        hint="key_padding_mask must be (N, S): raise ValueError",
    ):
        layer.forward(q, k, v, key_padding_mask=torch.zeros(2, 4, dtype=torch.bool))
    with checks.raises(
        ValueError,
        "layer.forward(q, k, v, attn_mask of shape (5, 3)) with L = 3, S = 5",
        hint="attn_mask must be (L, S) or (N * h, L, S): raise ValueError",
    ):
        layer.forward(q, k, v, attn_mask=torch.zeros(5, 3, dtype=torch.bool))

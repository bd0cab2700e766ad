"""Hidden grader for mlp_backprop_numpy.

Oracle: the same network built from ``torch.nn.functional.linear`` and ``torch.relu / sigmoid / tanh`` with the
learner's float64 weights copied in, and ``F.cross_entropy(weight=None, ignore_index=-100, reduction="mean",
label_smoothing=0.0)``; gradients from ``torch.autograd.grad``. Checked against torch 2.13: relu'(0) = 0, the mean
reduction divides by the batch size, parameters after k SGD steps match ``p -= lr * p.grad``. The learner's own
gradients are also checked against central differences of the learner's own loss on a 2-3-2 net.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

ORACLE = "torch.nn.functional.linear + F.cross_entropy, torch.autograd.grad"
ACT = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}

# The README's worked example: a 2-2-2 ReLU net.
W_EX = [np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0, 0.0], [-1.0, 1.0]])]
B_EX = [np.array([0.0, -1.0]), np.array([0.5, 0.0])]


def params(sizes, seed, scale=1.0):
    """Distinct, non-trivial float64 weights and non-zero biases for the given layer widths."""
    gen = np.random.default_rng(seed)
    W = [gen.normal(0, scale / math.sqrt(i), (o, i)) for i, o in itertools.pairwise(sizes)]
    b = [gen.normal(0, 0.5, o) for o in sizes[1:]]
    return W, b


def net(learner, sizes, activation="relu", W=None, b=None):
    mlp = learner.MLP(list(sizes), activation=activation, seed=0)
    if W is not None:
        mlp.W = [w.copy() for w in W]
        mlp.b = [v.copy() for v in b]
    return mlp


def torch_oracle(W, b, X, y, activation):
    """Logits, loss and gradients of the torch network with these weights (float64)."""
    tW = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in W]
    tb = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in b]
    h = torch.tensor(np.atleast_2d(X), dtype=torch.float64)
    for i, (w, v) in enumerate(zip(tW, tb, strict=True)):
        h = torch.nn.functional.linear(h, w, v)
        if i < len(tW) - 1:
            h = ACT[activation](h)
    target = torch.tensor(np.atleast_1d(y), dtype=torch.int64)
    loss = torch.nn.functional.cross_entropy(
        h, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0
    )
    grads = torch.autograd.grad(loss, tW + tb)
    n = len(W)
    return (
        h.detach().numpy(),
        float(loss),
        [g.numpy() for g in grads[:n]],
        [g.numpy() for g in grads[n:]],
    )


def unpack(result, call):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        checks.fail(call, f"Returned {type(result).__name__}", "a tuple (loss, dW, db)")
    loss, dW, db = result
    if not isinstance(dW, (list, tuple)) or not isinstance(db, (list, tuple)):
        checks.fail(call, "Returned dW or db that is not a list", "a list with one array per layer")
    return checks.as_float(loss, call), list(dW), list(db)


def check_grads(got, expected, call, name, hint, *, rtol=1e-7, atol=1e-10):
    if len(got) != len(expected):
        checks.fail(call, f"Returned {len(got)} arrays in {name}", f"{len(expected)}, one per layer", hint)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        checks.array_close(g, e, f"{call}, {name}[{i}]", rtol=rtol, atol=atol, oracle=ORACLE, hint=hint)


def check_against_torch(learner, sizes, activation, W, b, *, X, y, hint_w=None, hint_b=None):
    mlp = net(learner, sizes, activation, W, b)
    _, loss, gW, gb = torch_oracle(W, b, X, y, activation)
    got_loss, dW, db = unpack(mlp.loss_and_grads(X, y), learner.last_call)
    call = learner.last_call
    checks.close(
        got_loss,
        loss,
        call,
        rtol=1e-10,
        atol=1e-12,
        oracle=ORACLE,
        hint="mean over the batch of -log softmax",
    )
    check_grads(
        dW, gW, call, "dW", hint_w or "dW[i] = dZ[i].T @ A[i-1], with dZ of the last layer (P - Y) / N"
    )
    check_grads(db, gb, call, "db", hint_b or "db[i] sums dZ[i] over the batch (the 1/N is already in dZ)")


# -- worked examples ---------------------------------------------------------------------------------------


@pytest.mark.task("forward", points=1)
def test_worked_example_forward(learner):
    mlp = net(learner, [2, 2, 2], "relu", W_EX, B_EX)
    out = mlp.forward(np.array([[1.0, 2.0]]))
    checks.array_close(
        out,
        [[0.5, 3.5]],
        learner.last_call,
        oracle="README worked example",
        hint="z1 = W1 @ x + b1 = [-1, 3.5], relu gives [0, 3.5], logits = W2 @ a1 + b2 (no activation on the last layer)",
    )


@pytest.mark.task("loss", points=1)
def test_worked_example_loss(learner):
    mlp = net(learner, [2, 2, 2], "relu", W_EX, B_EX)
    loss, _, _ = unpack(mlp.loss_and_grads(np.array([[1.0, 2.0]]), np.array([1])), learner.last_call)
    checks.close(
        loss,
        math.log1p(math.exp(-3.0)),
        learner.last_call,
        oracle="log(1 + e^-3)",
        hint="logits [0.5, 3.5], label 1: logsumexp(logits) - logits[1] = log(1 + e^-3)",
    )


@pytest.mark.task("backward", points=1)
def test_worked_example_output_bias_grad(learner):
    mlp = net(learner, [2, 2, 2], "relu", W_EX, B_EX)
    _, _, db = unpack(mlp.loss_and_grads(np.array([[1.0, 2.0]]), np.array([1])), learner.last_call)
    s = 1.0 / (1.0 + math.exp(3.0))
    checks.array_close(
        db[-1],
        [s, -s],
        learner.last_call + ", db[-1]",
        oracle="softmax(logits) - one_hot(y)",
        hint="the gradient of cross-entropy with respect to the logits is softmax minus the one-hot label",
    )


# -- named edge cases ----------------------------------------------------------------------------------------


@pytest.mark.task("backward", points=1)
def test_no_hidden_layer_is_softmax_regression(learner):
    W, b = params([5, 3], seed=1)
    X = np.random.default_rng(2).normal(size=(4, 5))
    check_against_torch(learner, [5, 3], "relu", W, b, X=X, y=np.array([0, 2, 1, 2]))


@pytest.mark.task("backward", points=1)
def test_batch_of_one(learner):
    W, b = params([4, 6, 3], seed=3)
    X = np.random.default_rng(4).normal(size=(1, 4))
    check_against_torch(learner, [4, 6, 3], "tanh", W, b, X=X, y=np.array([2]))


@pytest.mark.task("backward", points=2)
def test_relu_gradient_is_zero_at_zero_preactivation(learner):
    # Hidden unit 0 has pre-activation exactly 0 for both samples: torch's relu'(0) = 0 blocks its gradient.
    W = [np.array([[1.0, -1.0, 0.0], [0.5, 1.0, 2.0]]), np.array([[2.0, 1.0], [-1.0, 0.5], [0.0, -1.5]])]
    b = [np.array([0.0, 0.25]), np.array([0.1, -0.2, 0.3])]
    X = np.array([[2.0, 2.0, 5.0], [-1.0, -1.0, 0.5]])
    check_against_torch(
        learner,
        [3, 2, 3],
        "relu",
        W,
        b,
        X=X,
        y=np.array([0, 2]),
        hint_w="relu'(0) is 0 (torch's convention): a unit whose pre-activation is exactly 0 passes no gradient",
    )


@pytest.mark.task("loss", points=1)
def test_large_logits_stay_finite(learner):
    W = [np.array([[400.0, -300.0], [-500.0, 700.0], [100.0, 250.0]])]
    b = [np.array([10.0, -20.0, 5.0])]
    X = np.array([[2.0, 1.0], [-1.0, 3.0], [3.0, -2.0], [0.5, 0.5]])
    check_against_torch(
        learner,
        [2, 3],
        "relu",
        W,
        b,
        X=X,
        y=np.array([0, 0, 2, 1]),
        hint_w="subtract the row maximum of the logits before exp (log-sum-exp trick), or exp overflows to inf",
    )


@pytest.mark.task("backward", points=1)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_smooth_activations_match_torch(learner, activation):
    sizes = [3, 5, 4, 2]
    W, b = params(sizes, seed=5, scale=2.0)
    X = np.random.default_rng(6).normal(size=(6, 3))
    check_against_torch(
        learner,
        sizes,
        activation,
        W,
        b,
        X=X,
        y=np.array([0, 1, 1, 0, 1, 0]),
        hint_w=f"{activation}'(z) written through a = {activation}(z): sigmoid' = a(1 - a), tanh' = 1 - a**2; "
        "apply it once, to the saved activation",
    )


@pytest.mark.task("forward", points=1)
def test_unbatched_input_matches_a_batch_of_one(learner):
    W, b = params([4, 5, 3], seed=7)
    mlp = net(learner, [4, 5, 3], "tanh", W, b)
    x = np.array([0.3, -1.2, 0.8, 2.0])
    single = mlp.forward(x)
    call = learner.last_call
    batch = checks.as_array(mlp.forward(x[None, :]), learner.last_call)
    checks.array_close(
        single, batch[0], call, rtol=1e-12, hint="a 1-D x is one sample: return logits of shape (n_out,)"
    )


@pytest.mark.task("backward", points=1)
def test_unbatched_loss_and_grads_match_a_batch_of_one(learner):
    W, b = params([4, 5, 3], seed=8)
    mlp = net(learner, [4, 5, 3], "relu", W, b)
    x = np.array([0.3, -1.2, 0.8, 2.0])
    loss1, dW1, db1 = unpack(mlp.loss_and_grads(x, 2), learner.last_call)
    call = learner.last_call
    loss2, dW2, db2 = unpack(mlp.loss_and_grads(x[None, :], np.array([2])), learner.last_call)
    hint = "a 1-D x with an int label is a batch of one"
    checks.close(loss1, loss2, call, rtol=1e-12, hint=hint)
    check_grads(dW1, dW2, call, "dW", hint, rtol=1e-12)
    check_grads(db1, db2, call, "db", hint, rtol=1e-12)


@pytest.mark.task("backward", points=1)
def test_loss_and_grads_leaves_parameters_unchanged(learner):
    sizes = [3, 4, 2]
    W, b = params(sizes, seed=9)
    mlp = net(learner, sizes, "relu", W, b)
    mlp.loss_and_grads(np.random.default_rng(10).normal(size=(5, 3)), np.array([0, 1, 1, 0, 1]))
    call = learner.last_call
    for i in range(len(W)):
        checks.array_close(
            mlp.W[i],
            W[i],
            f"{call}; then .W[{i}]",
            rtol=0,
            atol=0,
            hint="computing gradients must not update W",
        )
        checks.array_close(
            mlp.b[i],
            b[i],
            f"{call}; then .b[{i}]",
            rtol=0,
            atol=0,
            hint="computing gradients must not update b",
        )


# -- initialisation ----------------------------------------------------------------------------------------


@pytest.mark.task("init", points=1)
def test_parameter_shapes_follow_nn_linear(learner):
    sizes = [5, 7, 4, 3]
    mlp = learner.MLP(sizes, activation="relu", seed=0)
    W, b = mlp.W, mlp.b
    call = "MLP([5, 7, 4, 3]); .W, .b"
    if len(W) != 3 or len(b) != 3:
        checks.fail(call, f"Returned {len(W)} weights and {len(b)} biases", "3 of each, one per layer")
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        checks.equal(
            checks.as_array(W[i], call).shape,
            (n_out, n_in),
            f"{call}: W[{i}].shape",
            hint="W[i] has the nn.Linear layout (out_features, in_features)",
        )
        checks.equal(
            checks.as_array(b[i], call).shape, (n_out,), f"{call}: b[{i}].shape", hint="b[i] is (out,)"
        )


@pytest.mark.task("init", points=1)
def test_initialisation_is_uniform_within_one_over_sqrt_fan_in(learner):
    mlp = learner.MLP([400, 300, 10], activation="relu", seed=1)
    call = "MLP([400, 300, 10], seed=1)"
    for i, fan_in in enumerate([400, 300]):
        bound = 1 / math.sqrt(fan_in)
        for name, values in (("W", mlp.W[i]), ("b", mlp.b[i])):
            arr = checks.as_array(values, call)
            hint = "nn.Linear draws every weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in))"
            if np.abs(arr).max() > bound:
                checks.fail(
                    call,
                    f"Returned {name}[{i}] with max |value| {np.abs(arr).max():.4g}",
                    f"<= {bound:.4g}",
                    hint,
                )
            if arr.size >= 100 and abs(arr.std() - bound / math.sqrt(3)) > 0.1 * bound / math.sqrt(3):
                checks.fail(
                    call,
                    f"Returned {name}[{i}] with std {arr.std():.4g}",
                    f"about {bound / math.sqrt(3):.4g}",
                    hint,
                )
            if arr.size < 100 and np.all(arr == 0):
                checks.fail(call, f"Returned {name}[{i}] all zeros", "uniform random values", hint)


@pytest.mark.task("init", points=1)
def test_same_seed_same_network_different_seed_different_network(learner):
    a = learner.MLP([3, 4, 2], activation="relu", seed=11)
    b = learner.MLP([3, 4, 2], activation="relu", seed=11)
    c = learner.MLP([3, 4, 2], activation="relu", seed=12)
    checks.array_close(
        a.W[0],
        b.W[0],
        "MLP([3, 4, 2], seed=11) twice",
        rtol=0,
        atol=0,
        hint="draw only from default_rng(seed)",
    )
    if np.array_equal(checks.as_array(a.W[0], ""), checks.as_array(c.W[0], "")):
        checks.fail("MLP(..., seed=11) and MLP(..., seed=12)", "Returned the same W[0]", "different weights")


@pytest.mark.task("init", points=1)
def test_seed_may_be_a_generator(learner):
    gen = np.random.default_rng(13)
    a = learner.MLP([3, 4, 2], activation="tanh", seed=gen)
    b = learner.MLP([3, 4, 2], activation="tanh", seed=np.random.default_rng(13))
    call = "MLP([3, 4, 2], seed=np.random.default_rng(13))"
    checks.array_close(
        a.W[1], b.W[1], call + " twice", rtol=0, atol=0, hint="np.random.default_rng(gen) returns gen"
    )
    if gen.bit_generator.state == np.random.default_rng(13).bit_generator.state:
        checks.fail(
            call, "Left the generator untouched", "weights drawn from that generator", "use the generator"
        )


# -- agreement with torch on generated networks -------------------------------------------------------------


@st.composite
def problems(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    sizes[-1] = max(sizes[-1], 2)
    activation = draw(st.sampled_from(["relu", "sigmoid", "tanh"]))
    seed = draw(st.integers(0, 2**31))
    n = draw(st.integers(1, 7))
    gen = np.random.default_rng(seed)
    W, b = params(sizes, seed, scale=draw(st.sampled_from([0.5, 1.5, 4.0])))
    X = gen.normal(size=(n, sizes[0])) * 2
    y = gen.integers(0, sizes[-1], size=n)
    return sizes, activation, W, b, X, y


@pytest.mark.task("forward", points=2)
@settings(max_examples=25)
@given(problem=problems())
def test_forward_matches_torch(learner, problem):
    sizes, activation, W, b, X, y = problem
    mlp = net(learner, sizes, activation, W, b)
    logits, _, _, _ = torch_oracle(W, b, X, y, activation)
    checks.array_close(
        mlp.forward(X),
        logits,
        learner.last_call,
        rtol=1e-10,
        atol=1e-12,
        oracle=ORACLE,
        hint="z = a @ W.T + b for each layer; the activation after every layer except the last",
    )


@pytest.mark.task("loss", points=2)
@settings(max_examples=25)
@given(problem=problems())
def test_loss_matches_torch(learner, problem):
    sizes, activation, W, b, X, y = problem
    mlp = net(learner, sizes, activation, W, b)
    _, loss, _, _ = torch_oracle(W, b, X, y, activation)
    got, _, _ = unpack(mlp.loss_and_grads(X, y), learner.last_call)
    checks.close(
        got,
        loss,
        learner.last_call,
        rtol=1e-10,
        atol=1e-12,
        oracle=ORACLE,
        hint="the mean, not the sum, over samples",
    )


@pytest.mark.task("backward", points=3)
@settings(max_examples=40)
@given(problem=problems())
def test_grads_match_torch(learner, problem):
    sizes, activation, W, b, X, y = problem
    check_against_torch(learner, sizes, activation, W, b, X=X, y=y)


@pytest.mark.task("backward", points=1)
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_grads_match_central_differences_on_a_2_3_2_net(learner, activation):
    sizes = [2, 3, 2]
    W, b = params(sizes, seed=14)
    X = np.array([[0.7, -1.3], [1.1, 0.4], [-0.6, 0.9], [0.2, 1.5]])
    y = np.array([0, 1, 1, 0])
    mlp = net(learner, sizes, activation, W, b)
    _, dW, db = unpack(mlp.loss_and_grads(X, y), learner.last_call)
    call = learner.last_call
    for kind, grads in (("W", dW), ("b", db)):
        for i in range(2):

            def loss_at(value, kind=kind, i=i):
                if kind == "W":
                    mlp.W = [value if j == i else w for j, w in enumerate(W)]
                else:
                    mlp.b = [value if j == i else v for j, v in enumerate(b)]
                return unpack(mlp.loss_and_grads(X, y), learner.last_call)[0]

            numeric = checks.numeric_gradient(loss_at, (W if kind == "W" else b)[i])
            mlp.W, mlp.b = W, b
            checks.gradient_close(grads[i], numeric, call, wrt=f"{kind}[{i}]", rtol=1e-5, atol=1e-8)


# -- training ----------------------------------------------------------------------------------------------


@pytest.mark.task("sgd", points=2)
def test_k_sgd_steps_match_torch(learner):
    sizes, lr, steps = [4, 6, 5, 3], 0.3, 5
    W, b = params(sizes, seed=15)
    gen = np.random.default_rng(16)
    X = gen.normal(size=(7, 4))
    y = gen.integers(0, 3, size=7)
    mlp = net(learner, sizes, "relu", W, b)
    for _ in range(steps):
        _, dW, db = unpack(mlp.loss_and_grads(X, y), learner.last_call)
        mlp.sgd_step(dW, db, lr)
        _, _, gW, gb = torch_oracle(W, b, X, y, "relu")
        W = [w - lr * g for w, g in zip(W, gW, strict=True)]
        b = [v - lr * g for v, g in zip(b, gb, strict=True)]
    call = f"{steps} rounds of loss_and_grads(X, y) then sgd_step(dW, db, lr={lr})"
    for i in range(len(W)):
        checks.array_close(
            mlp.W[i], W[i], f"{call}; .W[{i}]", rtol=1e-9, atol=1e-12, oracle="torch, p -= lr * p.grad",
            hint="sgd_step subtracts lr * gradient from every W[i] and b[i]; backprop uses the weights of the forward",
        )  # fmt: skip
        checks.array_close(
            mlp.b[i], b[i], f"{call}; .b[{i}]", rtol=1e-9, atol=1e-12, oracle="torch, p -= lr * p.grad",
            hint="sgd_step subtracts lr * gradient from every b[i] too",
        )  # fmt: skip


@pytest.mark.task("sgd", points=1)
def test_sgd_step_applies_the_given_gradients(learner):
    sizes = [3, 2, 4]
    W, b = params(sizes, seed=17)
    mlp = net(learner, sizes, "sigmoid", W, b)
    dW = [np.arange(6.0).reshape(2, 3), -np.arange(8.0).reshape(4, 2)]
    db = [np.array([1.0, -1.0]), np.array([0.5, 0.0, -0.5, 2.0])]
    mlp.sgd_step(dW, db, 0.25)
    call = learner.last_call
    for i in range(2):
        checks.array_close(mlp.W[i], W[i] - 0.25 * dW[i], f"{call}; .W[{i}]", hint="W[i] -= lr * dW[i]")
        checks.array_close(mlp.b[i], b[i] - 0.25 * db[i], f"{call}; .b[{i}]", hint="b[i] -= lr * db[i]")


@pytest.mark.task("sgd", points=1)
def test_training_reduces_the_loss(learner):
    gen = np.random.default_rng(18)
    X = gen.normal(size=(40, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    mlp = learner.MLP([2, 16, 2], activation="tanh", seed=19)
    first = unpack(mlp.loss_and_grads(X, y), learner.last_call)[0]
    loss = first
    for _ in range(30):
        loss, dW, db = unpack(mlp.loss_and_grads(X, y), learner.last_call)
        mlp.sgd_step(dW, db, 1.0)
    if not loss < 0.7 * first:
        checks.fail(
            "30 rounds of loss_and_grads + sgd_step(lr=1.0) on a separable problem",
            f"Loss went from {first:.4f} to {loss:.4f}",
            "a clear decrease",
            "gradient descent steps against the gradient: W -= lr * dW",
        )


# -- error contract ----------------------------------------------------------------------------------------


@pytest.mark.task("init", points=1)
@pytest.mark.parametrize(
    ("sizes", "activation"),
    [([3], "relu"), ([3, 0, 2], "relu"), ([3, 2], "gelu")],
    ids=["one_size", "zero_width", "unknown_activation"],
)
def test_invalid_configuration_raises(learner, sizes, activation):
    with checks.raises(
        ValueError,
        f"MLP({sizes}, activation={activation!r})",
        hint="sizes needs at least two widths, each >= 1; activation is relu, sigmoid or tanh",
    ):
        learner.MLP(sizes, activation=activation, seed=0)


@pytest.mark.task("forward", points=1)
def test_wrong_feature_count_raises(learner):
    mlp = learner.MLP([3, 4, 2], activation="relu", seed=0)
    with checks.raises(
        ValueError, "MLP([3, 4, 2]).forward(np.ones((5, 4)))", hint="X must have sizes[0] columns"
    ):
        mlp.forward(np.ones((5, 4)))


@pytest.mark.task("loss", points=1)
@pytest.mark.parametrize(
    "y",
    [np.array([0, 1]), np.array([0, 1, 2]), np.array([0, -1, 1])],
    ids=["too_few_labels", "label_too_large", "negative_label"],
)
def test_bad_labels_raise(learner, y):
    mlp = learner.MLP([3, 4, 2], activation="relu", seed=0)
    with checks.raises(
        ValueError,
        f"MLP([3, 4, 2]).loss_and_grads(np.ones((3, 3)), {y.tolist()})",
        hint="one label per sample, each in [0, n_out); a negative index would silently pick the last class",
    ):
        mlp.loss_and_grads(np.ones((3, 3)), y)


@pytest.mark.task("sgd", points=1)
def test_sgd_step_rejects_mismatched_gradients(learner):
    mlp = learner.MLP([3, 4, 2], activation="relu", seed=0)
    before = checks.as_array(mlp.W[0], "")
    bad_dW = [np.ones((3, 4)), np.ones((2, 4))]  # the first one transposed
    with checks.raises(
        ValueError,
        "MLP([3, 4, 2]).sgd_step([ones((3, 4)), ones((2, 4))], db, 0.1)",
        hint="check each gradient's shape against its parameter; a (3, 4) gradient for a (4, 3) W is a layout bug",
    ):
        mlp.sgd_step(bad_dW, [np.ones(4), np.ones(2)], 0.1)
    with checks.raises(
        ValueError, "MLP([3, 4, 2]).sgd_step([one array], [one array], 0.1)", hint="one gradient per layer"
    ):
        mlp.sgd_step([np.ones((4, 3))], [np.ones(4)], 0.1)
    checks.array_close(
        mlp.W[0],
        before,
        "after rejected sgd_step calls, .W[0]",
        rtol=0,
        atol=0,
        hint="a rejected step changes nothing",
    )

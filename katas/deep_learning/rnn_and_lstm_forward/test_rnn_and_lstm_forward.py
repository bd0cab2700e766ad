"""Worked examples from the README. The hidden grader checks much more (against torch.nn.RNN / LSTMCell / LSTM)."""

import numpy as np
import pytest
from rnn_and_lstm_forward import lstm_cell, lstm_forward, rnn_forward

X = np.array([[1.0], [-1.0]])  # unbatched: T=2 steps, I=1 feature
W_IH, W_HH = np.array([[0.5], [-1.0]]), np.eye(2)
W4 = np.zeros((4, 1))
B4 = np.array([0.0, 0.0, 1.0, 0.0])  # LSTM pre-activations i=0, f=0, g=1, o=0


def test_rnn_tanh_unbatched() -> None:
    out, h_n = rnn_forward(X, None, W_IH, W_HH, None, None)
    np.testing.assert_allclose(out, [[0.4621, -0.7616], [-0.0379, 0.2340]], atol=1e-4)
    np.testing.assert_allclose(h_n, [-0.0379, 0.2340], atol=1e-4)


def test_rnn_relu() -> None:
    out, _ = rnn_forward(X, None, W_IH, W_HH, None, None, nonlinearity="relu")
    np.testing.assert_allclose(out, [[0.5, 0.0], [0.0, 1.0]], atol=1e-12)


def test_rnn_adds_both_biases() -> None:
    out, _ = rnn_forward(X, None, W_IH, W_HH, np.array([0.1, 0.2]), np.array([0.0, -0.3]))
    np.testing.assert_allclose(out, [[0.5370, -0.8005], [0.1362, 0.0992]], atol=1e-4)


def test_rnn_batch_first_shapes() -> None:
    x = np.stack([X, 2 * X])  # (N=2, T=2, I=1)
    out, h_n = rnn_forward(x, None, W_IH, W_HH, None, None, batch_first=True)
    assert np.shape(out) == (2, 2, 2)
    assert np.shape(h_n) == (2, 2)


def test_lstm_cell_gate_order() -> None:
    h_new, c_new = lstm_cell(np.array([1.0]), np.array([0.0]), np.array([2.0]), W4, W4, B4, None)
    np.testing.assert_allclose(c_new, [1.3808], atol=1e-4)
    np.testing.assert_allclose(h_new, [0.4406], atol=1e-4)


def test_lstm_forward_one_layer_unbatched() -> None:
    layer = {"W_ih": W4, "W_hh": W4, "b_ih": B4}
    out, (h_n, c_n) = lstm_forward(np.zeros((2, 1)), None, None, [layer])
    np.testing.assert_allclose(out, [[0.1817], [0.2581]], atol=1e-4)
    np.testing.assert_allclose(h_n, [[0.2581]], atol=1e-4)
    np.testing.assert_allclose(c_n, [[0.5712]], atol=1e-4)


def test_unknown_nonlinearity_raises() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (any message: the grader checks the type only)
        rnn_forward(X, None, W_IH, W_HH, None, None, nonlinearity="sigmoid")

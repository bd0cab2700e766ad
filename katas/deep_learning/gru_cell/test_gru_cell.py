"""Worked examples from the README. The hidden grader checks much more (against torch.nn.GRUCell / GRU)."""

import numpy as np
import pytest
from gru_cell import gru_cell, gru_forward

X = np.array([[1.0, -2.0, 0.5], [0.0, 0.5, -1.0]])
H = np.array([[0.5, -0.5], [-1.0, 0.25]])
W_IH = np.arange(18.0).reshape(6, 3) / 10 - 0.8
W_HH = 0.6 - np.arange(12.0).reshape(6, 2) / 10
B_IH = np.array([0.1, -0.1, 0.2, -0.2, 0.3, -0.3])
B_HH = np.array([-0.2, 0.2, 0.1, -0.1, 0.4, -0.4])


def test_worked_example_gru_cell() -> None:
    got = gru_cell(X, H, W_IH, W_HH, B_IH, B_HH)
    np.testing.assert_allclose(
        got, [[0.395710773296358, -0.6438408441788165], [-0.4376056895101095, -0.3440949779851547]]
    )


def test_zero_weights_halve_the_state() -> None:
    h = np.array([0.5, -1.0])
    np.testing.assert_allclose(gru_cell(np.ones(3), h, np.zeros((6, 3)), np.zeros((6, 2))), [0.25, -0.5])


def test_worked_example_gru_forward() -> None:
    seq = np.array([[[1.0, 0.0, -1.0]], [[0.5, 0.5, 0.5]], [[-1.0, 2.0, 0.0]]])
    out, h_n = gru_forward(seq, None, W_IH, W_HH, B_IH, B_HH)
    expected = [
        [[0.12532584251608755, -0.37222280507899314]],
        [[0.4488581443352215, 0.1373896313939289]],
        [[0.5758384618049832, 0.20211897029971315]],
    ]
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(h_n, expected[-1])


def test_batch_first_swaps_the_first_two_axes() -> None:
    seq = np.random.default_rng(0).normal(size=(4, 2, 3))  # T=4, N=2, I=3
    out, h_n = gru_forward(seq, None, W_IH, W_HH, B_IH, B_HH)
    out_bf, h_n_bf = gru_forward(seq.transpose(1, 0, 2), None, W_IH, W_HH, B_IH, B_HH, batch_first=True)
    np.testing.assert_allclose(out_bf, out.transpose(1, 0, 2))
    np.testing.assert_allclose(h_n_bf, h_n)


def test_mismatched_input_size_raises() -> None:
    with pytest.raises(ValueError, match=r"."):
        gru_cell(np.ones((2, 4)), H, W_IH, W_HH, B_IH, B_HH)

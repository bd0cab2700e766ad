"""Worked examples from the README. The hidden grader checks much more."""

import numpy as np
import pytest
from conv2d_and_maxpool import conv2d, maxpool2d, maxpool2d_backward

POOL_X = np.array([[[[1.0, 3.0, 2.0, 0.0], [2.0, 3.0, 5.0, 1.0]]]])


def test_conv_is_cross_correlation() -> None:
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    out = conv2d(x, np.array([[[[1.0, 0.0], [0.0, -1.0]]]]))
    np.testing.assert_allclose(out, np.full((1, 1, 2, 2), -4.0))


def test_conv_output_shape() -> None:
    out = conv2d(np.ones((1, 2, 7, 6)), np.ones((3, 2, 3, 3)), None, stride=2, padding=1)
    assert np.shape(out) == (1, 3, 4, 3)


def test_maxpool_values_and_indices() -> None:
    out, idx = maxpool2d(POOL_X, 2, return_indices=True)
    np.testing.assert_allclose(out, [[[[3.0, 5.0]]]])
    np.testing.assert_array_equal(idx, [[[[1, 6]]]])


def test_maxpool_pads_with_negative_infinity() -> None:
    np.testing.assert_allclose(maxpool2d(-np.ones((1, 1, 4, 4)), 2, padding=1), -np.ones((1, 1, 3, 3)))


def test_maxpool_ceil_mode_shape() -> None:
    assert np.shape(maxpool2d(np.arange(25.0).reshape(1, 1, 5, 5), 2, ceil_mode=True)) == (1, 1, 3, 3)


def test_maxpool_backward_routes_to_the_maximum() -> None:
    got = maxpool2d_backward(np.array([[[[10.0, 20.0]]]]), np.array([[[[1, 6]]]]), (1, 1, 2, 4))
    np.testing.assert_allclose(got, [[[[0.0, 10.0, 0.0, 0.0], [0.0, 0.0, 20.0, 0.0]]]])


def test_conv_channel_mismatch_raises() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (any message will do)
        conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 2, 3, 3)))

"""2-D convolution and max pooling, forward and the pooling backward, as torch's ``F.conv2d`` and ``F.max_pool2d``."""

from __future__ import annotations

import numpy as np


def conv2d(  # noqa: PLR0917 (the positional signature of torch.nn.functional.conv2d)
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> np.ndarray:
    """2-D cross-correlation of a batch of images with a bank of filters, as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array-like of shape (N, C, H, W) or (C, H, W)
        Input images (an unbatched input gives an unbatched output).
    w : array-like of shape (O, C // groups, kH, kW)
        Filters; output channel ``o`` belongs to group ``o // (O // groups)`` and sees that group's input channels.
    b : array-like of shape (O,), optional
        Bias added to each output channel; ``None`` means no bias.
    stride, padding, dilation : int or (int, int)
        Step between windows, zeros added on each side of H and W, spacing between kernel taps; a pair gives
        (height, width).
    groups : int, default=1
        Number of groups of input and output channels (``groups == C`` is a depthwise convolution).

    Returns
    -------
    np.ndarray of shape (N, O, H_out, W_out) or (O, H_out, W_out)
        ``out[n, o, i, j] = b[o] + sum_{c, p, q} w[o, c, p, q] * x_pad[n, g*C/groups + c, i*sH + p*dH, j*sW + q*dW]``
        (no kernel flip), with ``H_out = (H + 2*pH - dH*(kH - 1) - 1) // sH + 1`` and likewise for W.

    Raises
    ------
    ValueError
        If the shapes do not fit (channels, groups, bias, a kernel larger than the padded input), or if
        ``stride < 1``, ``dilation < 1``, ``padding < 0`` or ``groups < 1``.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> conv2d(x, np.array([[[[1.0, 0.0], [0.0, -1.0]]]]))
    array([[[[-4., -4.],
             [-4., -4.]]]])
    """
    # TODO(task 1): pad with zeros, slide the kernel WITHOUT flipping it, add the bias; output size
    # (H + 2p - d(k - 1) - 1) // s + 1. Accept an unbatched (C, H, W) input.
    # TODO(task 2): dilation spaces the kernel taps; groups split the channels into independent convolutions.
    raise NotImplementedError


def maxpool2d(  # noqa: PLR0917 (the positional signature of torch.nn.functional.max_pool2d)
    x: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """2-D max pooling, as ``torch.nn.functional.max_pool2d``.

    Parameters
    ----------
    x : array-like of shape (N, C, H, W) or (C, H, W)
        Input.
    kernel_size : int or (int, int)
        Window size.
    stride : int or (int, int), optional
        Step between windows; ``None`` means ``kernel_size``.
    padding : int or (int, int), default=0
        Implicit negative infinity added on each side, at most half the kernel size.
    ceil_mode : bool, default=False
        Round the output size up instead of down (a last, partial window), as long as that window starts inside
        the input or its left padding.
    return_indices : bool, default=False
        Also return where each maximum came from.

    Returns
    -------
    out : np.ndarray of shape (N, C, H_out, W_out) or (C, H_out, W_out)
        The maximum of each window; padding never wins (it is negative infinity).
    indices : np.ndarray of int64, the shape of ``out``
        Only with ``return_indices=True``: the flat index ``row * W + col`` of each maximum in its input plane
        (unpadded coordinates); among tied maxima, the first in row-major order of the window.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or 4-D, ``kernel_size`` or ``stride`` is below 1, ``padding`` is negative or more than
        half the kernel size, or the output would be empty.

    Examples
    --------
    >>> x = np.array([[[[1.0, 3.0, 2.0, 0.0], [2.0, 3.0, 5.0, 1.0]]]])
    >>> out, idx = maxpool2d(x, 2, return_indices=True)
    >>> out, idx
    (array([[[[3., 5.]]]]), array([[[[1, 6]]]]))
    """
    # TODO(task 3): pad with -inf, stride defaults to kernel_size, ceil_mode rounds the output size up.
    # TODO(task 4): with return_indices, also return the flat index row * W + col of each maximum (first
    # of ties in row-major order).
    raise NotImplementedError


def maxpool2d_backward(grad_out: np.ndarray, indices: np.ndarray, input_shape: tuple[int, ...]) -> np.ndarray:
    """Gradient of ``maxpool2d`` with respect to its input.

    Parameters
    ----------
    grad_out : array-like of shape (N, C, H_out, W_out) or (C, H_out, W_out)
        Gradient of the loss with respect to the pooled output.
    indices : array-like of ints, the shape of ``grad_out``
        The indices ``maxpool2d(..., return_indices=True)`` returned.
    input_shape : tuple of int
        Shape of the pooled input, (N, C, H, W) or (C, H, W).

    Returns
    -------
    np.ndarray of shape ``input_shape``
        Each ``grad_out`` entry added to the input position its index points to; positions that were the maximum
        of several (overlapping) windows receive the sum, all others zero.

    Raises
    ------
    ValueError
        If the shapes disagree (``grad_out`` and ``indices``, or their batch and channel axes and
        ``input_shape``) or an index falls outside its H * W plane.

    Examples
    --------
    >>> maxpool2d_backward(np.array([[[[10.0, 20.0]]]]), np.array([[[[1, 6]]]]), (1, 1, 2, 4))
    array([[[[ 0., 10.,  0.,  0.],
             [ 0.,  0., 20.,  0.]]]])
    """
    # TODO(task 5): send each gradient to the input position its index names; add, do not overwrite.
    raise NotImplementedError

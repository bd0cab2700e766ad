"""MUTANT stride_height_for_both_axes: uses the height stride along the width too. (Otherwise: 2-D convolution and max pooling, forward and the pooling backward, as torch's ``F.conv2d`` and ``F.max_pool2d``.)"""

from __future__ import annotations

import math

import numpy as np


def _pair(value: int | tuple[int, int], name: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _batched(x: np.ndarray, name: str) -> tuple[np.ndarray, bool]:
    if x.ndim == 3:
        return x[None], True
    if x.ndim == 4:
        return x, False
    raise ValueError(f"{name} must be (N, C, H, W) or (C, H, W), got {x.ndim} dimensions")


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
    x, unbatched = _batched(np.asarray(x, dtype=np.float64), "x")
    w = np.asarray(w, dtype=np.float64)
    sh, sw = _pair(stride, "stride")
    sw = sh
    ph, pw = _pair(padding, "padding")
    dh, dw = _pair(dilation, "dilation")
    if min(sh, sw) < 1 or min(dh, dw) < 1 or min(ph, pw) < 0:
        raise ValueError("stride and dilation must be >= 1 and padding >= 0")
    if w.ndim != 4:
        raise ValueError(f"w must be (O, C // groups, kH, kW), got {w.ndim} dimensions")
    N, C, H, W = x.shape
    Co, Cg, kh, kw = w.shape
    if groups < 1 or C % groups or Co % groups or Cg * groups != C:
        raise ValueError(
            f"with groups={groups}, x has {C} channels and w {Co} output channels of {Cg} input channels each"
        )
    if b is not None:
        b = np.asarray(b, dtype=np.float64)
        if b.shape != (Co,):
            raise ValueError(f"b must have shape ({Co},), got {b.shape}")
    Ho = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    Wo = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if Ho < 1 or Wo < 1:
        raise ValueError(
            f"the (dilated) kernel {kh}x{kw} is larger than the padded input {H + 2 * ph}x{W + 2 * pw}"
        )
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    xg = xp.reshape(N, groups, Cg, H + 2 * ph, W + 2 * pw)
    wg = w.reshape(groups, Co // groups, Cg, kh, kw)
    out = np.zeros((N, groups, Co // groups, Ho, Wo))
    # One strided slice of the input per kernel tap: the tap (p, q) sees x_pad[i*s + p*d, j*s + q*d].
    for p in range(kh):
        for q in range(kw):
            rows = slice(p * dh, p * dh + sh * (Ho - 1) + 1, sh)
            cols = slice(q * dw, q * dw + sw * (Wo - 1) + 1, sw)
            out += np.einsum("ngchw,goc->ngohw", xg[:, :, :, rows, cols], wg[:, :, :, p, q])
    out = out.reshape(N, Co, Ho, Wo)
    if b is not None:
        out += b.reshape(1, Co, 1, 1)
    return out[0] if unbatched else out


def _pool_size(size: int, k: int, s: int, p: int, ceil_mode: bool) -> int:
    span = size + 2 * p - k
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    # torch: in ceil mode, the last window must start inside the input or its left padding.
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


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
    x, unbatched = _batched(np.asarray(x, dtype=np.float64), "x")
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = (kh, kw) if stride is None else _pair(stride, "stride")
    ph, pw = _pair(padding, "padding")
    if min(kh, kw, sh, sw) < 1 or min(ph, pw) < 0:
        raise ValueError("kernel_size and stride must be >= 1 and padding >= 0")
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError(f"padding {(ph, pw)} must be at most half of the kernel size {(kh, kw)}")
    N, C, H, W = x.shape
    Ho, Wo = _pool_size(H, kh, sh, ph, ceil_mode), _pool_size(W, kw, sw, pw, ceil_mode)
    if Ho < 1 or Wo < 1:
        raise ValueError(f"the output would be empty: input {H}x{W}, kernel {kh}x{kw}, padding {(ph, pw)}")
    # Pad with -inf (padding never wins), and on the bottom/right far enough for a ceil-mode last window.
    bottom = max(ph, (Ho - 1) * sh + kh - H - ph)
    right = max(pw, (Wo - 1) * sw + kw - W - pw)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, bottom), (pw, right)), constant_values=-np.inf)
    best = np.full((N, C, Ho, Wo), -np.inf)
    # Where no input value beats -inf, torch reports the window's first position inside the input.
    first_row = np.maximum(np.arange(Ho) * sh - ph, 0)
    first_col = np.maximum(np.arange(Wo) * sw - pw, 0)
    where = np.broadcast_to((first_row[:, None] * W + first_col[None, :]), (N, C, Ho, Wo)).copy()
    # Taps in row-major order with a strict '>' keep the first of tied maxima.
    for p in range(kh):
        for q in range(kw):
            window = xp[:, :, p : p + sh * (Ho - 1) + 1 : sh, q : q + sw * (Wo - 1) + 1 : sw]
            rows = np.arange(Ho) * sh - ph + p
            cols = np.arange(Wo) * sw - pw + q
            better = window > best
            best = np.where(better, window, best)
            where = np.where(better, rows[:, None] * W + cols[None, :], where)
    if unbatched:
        best, where = best[0], where[0]
    if return_indices:
        return best, where.astype(np.int64)
    return best


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
    grad_out = np.asarray(grad_out, dtype=np.float64)
    indices = np.asarray(indices)
    shape = tuple(int(s) for s in input_shape)
    if grad_out.shape != indices.shape:
        raise ValueError(f"grad_out {grad_out.shape} and indices {indices.shape} must have the same shape")
    if len(shape) not in (3, 4) or grad_out.ndim != len(shape) or grad_out.shape[:-2] != shape[:-2]:
        raise ValueError(f"grad_out {grad_out.shape} does not match input_shape {shape}")
    plane = shape[-1] * shape[-2]
    if indices.size and (indices.min() < 0 or indices.max() >= plane):
        raise ValueError(f"indices must lie in [0, {plane}), the flat positions of an H x W plane")
    planes = int(np.prod(shape[:-2]))
    grad_in = np.zeros((planes, plane))
    flat_idx = indices.reshape(planes, -1).astype(np.int64)
    # add.at, not assignment: overlapping windows may send several gradients to one input position.
    np.add.at(grad_in, (np.arange(planes)[:, None], flat_idx), grad_out.reshape(planes, -1))
    return grad_in.reshape(shape)

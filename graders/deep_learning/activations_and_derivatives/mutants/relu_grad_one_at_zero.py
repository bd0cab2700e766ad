"""MUTANT relu_grad_one_at_zero: relu'(0) = 1 (uses x >= 0) instead of torch's 0."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _floating(x: ArrayLike) -> np.ndarray:
    """``x`` as an array; floating dtypes are kept, anything else becomes float64."""
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def relu(x: ArrayLike) -> np.ndarray:
    """Rectified linear unit, ``max(x, 0)``, element-wise.

    Parameters
    ----------
    x : array-like of any shape
        Input.

    Returns
    -------
    np.ndarray of the shape of ``x``
        Floating dtypes are kept; any other input gives ``float64``.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    arr = _floating(x)
    return np.maximum(arr, arr.dtype.type(0))


def relu_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of ``relu`` at the input ``x``, element-wise: 1 where ``x > 0``, else 0 (0 at ``x = 0``).

    Parameters
    ----------
    x : array-like of any shape
        The input of ``relu`` (not its output).

    Returns
    -------
    np.ndarray of the shape of ``x``
        Zeros and ones, in ``x``'s floating dtype (``float64`` for other input).

    Examples
    --------
    >>> relu_grad(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])
    """
    arr = _floating(x)
    return (arr >= 0).astype(arr.dtype)


def sigmoid(x: ArrayLike) -> np.ndarray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, element-wise, without overflow for any finite or infinite input.

    Parameters
    ----------
    x : array-like of any shape
        Input.

    Returns
    -------
    np.ndarray of the shape of ``x``
        Values in ``[0, 1]``. Floating dtypes are kept; any other input gives ``float64``.

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    arr = _floating(x)
    out = np.empty_like(arr)
    positive = arr >= 0
    # exp is only ever taken of a non-positive number, so it cannot overflow.
    out[positive] = 1.0 / (1.0 + np.exp(-arr[positive]))
    e = np.exp(arr[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of ``sigmoid`` at the input ``x``: ``sigmoid(x) * (1 - sigmoid(x))``, element-wise.

    Parameters
    ----------
    x : array-like of any shape
        The input of ``sigmoid`` (not its output).

    Returns
    -------
    np.ndarray of the shape of ``x``
        Values in ``[0, 0.25]``. Floating dtypes are kept; any other input gives ``float64``.

    Examples
    --------
    >>> sigmoid_grad(np.array([0.0, 1000.0]))
    array([0.25, 0.  ])
    """
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent, element-wise, without overflow for large inputs.

    Parameters
    ----------
    x : array-like of any shape
        Input.

    Returns
    -------
    np.ndarray of the shape of ``x``
        Values in ``[-1, 1]``. Floating dtypes are kept; any other input gives ``float64``.

    Examples
    --------
    >>> tanh(np.array([-1000.0, 0.0, 1000.0]))
    array([-1.,  0.,  1.])
    """
    return np.tanh(_floating(x))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of ``tanh`` at the input ``x``: ``1 - tanh(x) ** 2``, element-wise.

    Parameters
    ----------
    x : array-like of any shape
        The input of ``tanh`` (not its output).

    Returns
    -------
    np.ndarray of the shape of ``x``
        Values in ``[0, 1]``. Floating dtypes are kept; any other input gives ``float64``.

    Examples
    --------
    >>> tanh_grad(np.array([0.0, 1000.0]))
    array([1., 0.])
    """
    t = tanh(x)
    return 1 - t * t


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: ``exp(x) / sum(exp(x))``, stable for large inputs and ``-inf`` entries.

    Parameters
    ----------
    x : array-like of shape (..., C, ...)
        Logits; ``-inf`` marks a masked entry (its probability is 0). At least one dimension.
    axis : int, default=-1
        The axis along which the result sums to 1.

    Returns
    -------
    np.ndarray of the shape of ``x``
        Probabilities. Floating dtypes are kept; any other input gives ``float64``.

    Raises
    ------
    ValueError
        If ``axis`` is out of range for ``x``.

    Examples
    --------
    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    >>> softmax(np.array([[0.0, 0.0], [0.0, np.log(3.0)]]), axis=0)
    array([[0.5 , 0.25],
           [0.5 , 0.75]])
    """
    arr = _floating(x)
    # Subtracting the maximum changes nothing mathematically and keeps exp below overflow.
    shifted = arr - np.max(arr, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """Logarithm of ``softmax`` along ``axis``, computed directly (log-sum-exp), never as ``log(softmax(x))``.

    Parameters
    ----------
    x : array-like of shape (..., C, ...)
        Logits; ``-inf`` marks a masked entry (its log-probability is ``-inf``). At least one dimension.
    axis : int, default=-1
        The axis along which ``exp`` of the result sums to 1.

    Returns
    -------
    np.ndarray of the shape of ``x``
        Log-probabilities: finite wherever the logit is finite. Floating dtypes are kept; any other input gives
        ``float64``.

    Raises
    ------
    ValueError
        If ``axis`` is out of range for ``x``.

    Examples
    --------
    >>> log_softmax(np.array([0.0, -1000.0]))
    array([    0., -1000.])
    """
    arr = _floating(x)
    shifted = arr - np.max(arr, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_backward(grad_out: ArrayLike, y: ArrayLike, axis: int = -1) -> np.ndarray:
    """Gradient through ``softmax``: the gradient of the loss with respect to the logits.

    With ``y = softmax(x, axis)`` and ``grad_out = dL/dy``, returns ``dL/dx = y * (grad_out - sum(grad_out * y))``,
    the sum taken along ``axis`` (the Jacobian-vector product of softmax, one slice at a time).

    Parameters
    ----------
    grad_out : array-like of the shape of ``y``
        Gradient of the loss with respect to the softmax output.
    y : array-like of shape (..., C, ...)
        The softmax output (probabilities along ``axis``), not the logits.
    axis : int, default=-1
        The axis the softmax was taken along.

    Returns
    -------
    np.ndarray of the shape of ``y``
        Gradient of the loss with respect to the logits.

    Raises
    ------
    ValueError
        If ``grad_out`` and ``y`` have different shapes, or ``axis`` is out of range.

    Examples
    --------
    >>> softmax_backward(np.array([1.0, 0.0]), np.array([0.5, 0.5]))
    array([ 0.25, -0.25])
    """
    g = _floating(grad_out)
    p = _floating(y)
    if g.shape != p.shape:
        raise ValueError(f"grad_out has shape {g.shape} but y has shape {p.shape}")
    # J = diag(y) - y y^T is symmetric, so J^T g = y * g - y * (y . g) along the softmax axis.
    return p * (g - np.sum(g * p, axis=axis, keepdims=True))

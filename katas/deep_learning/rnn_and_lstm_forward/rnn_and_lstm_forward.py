"""Forward passes of an Elman RNN and a multi-layer LSTM in NumPy, with torch's weight layout and conventions."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def rnn_forward(  # noqa: PLR0917 (torch-like positional signature, as the catalog gives it)
    x: ArrayLike,
    h0: ArrayLike | None,
    W_ih: ArrayLike,
    W_hh: ArrayLike,
    b_ih: ArrayLike | None,
    b_hh: ArrayLike | None,
    nonlinearity: str = "tanh",
    batch_first: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Run a single-layer Elman RNN over a sequence, as ``torch.nn.RNN`` does.

    At each step ``h_t = act(x_t @ W_ih.T + b_ih + h_{t-1} @ W_hh.T + b_hh)`` with ``act`` tanh or ReLU.

    Parameters
    ----------
    x : array-like of shape (T, N, I), (N, T, I) if ``batch_first``, or (T, I) unbatched
        The input sequence.
    h0 : array-like of shape (N, H), (H,) unbatched, or None
        The initial hidden state; None means zeros.
    W_ih : array-like of shape (H, I)
        Input-to-hidden weights.
    W_hh : array-like of shape (H, H)
        Hidden-to-hidden weights.
    b_ih, b_hh : array-like of shape (H,), or None
        The two biases; both are added. None means zeros.
    nonlinearity : {"tanh", "relu"}, default="tanh"
        The activation.
    batch_first : bool, default=False
        Whether ``x`` and ``out`` are batch-major, (N, T, ·). It does not change ``h0`` or ``h_n``.

    Returns
    -------
    out : np.ndarray of shape (T, N, H), (N, T, H) if ``batch_first``, or (T, H) unbatched
        The hidden state at every step.
    h_n : np.ndarray of shape (N, H), or (H,) unbatched
        The hidden state after the last step.

    Raises
    ------
    ValueError
        If ``nonlinearity`` is not "tanh" or "relu", or if a shape does not fit the others.

    Examples
    --------
    >>> out, h_n = rnn_forward(np.array([[1.0], [-1.0]]), None, np.array([[0.5], [-1.0]]), np.eye(2), None, None)
    >>> out.round(4)
    array([[ 0.4621, -0.7616],
           [-0.0379,  0.234 ]])
    """
    # TODO(task 1): move a batch_first x to (T, N, I), start from h0 (zeros if None) and apply
    #  h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) step by step; unbatched x has no N axis.
    # TODO(task 4): raise ValueError for an unknown nonlinearity and for shapes that do not fit.
    raise NotImplementedError


def lstm_cell(  # noqa: PLR0917 (torch-like positional signature, as the catalog gives it)
    x: ArrayLike,
    h: ArrayLike,
    c: ArrayLike,
    W_ih: ArrayLike,
    W_hh: ArrayLike,
    b_ih: ArrayLike | None,
    b_hh: ArrayLike | None,
) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step, as ``torch.nn.LSTMCell`` computes it.

    The four gates are stacked in torch's order ``i | f | g | o`` along the first axis of the weights::

        i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
        g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
        c' = f * c + i * g                               h' = o * tanh(c')

    Parameters
    ----------
    x : array-like of shape (N, I), or (I,) unbatched
        The input at this step.
    h, c : array-like of shape (N, H), or (H,) unbatched
        The hidden and cell states.
    W_ih : array-like of shape (4H, I)
        Input-to-hidden weights, ``[W_ii | W_if | W_ig | W_io]``.
    W_hh : array-like of shape (4H, H)
        Hidden-to-hidden weights, ``[W_hi | W_hf | W_hg | W_ho]``.
    b_ih, b_hh : array-like of shape (4H,), or None
        The two biases, stacked like the weights; both are added. None means zeros.

    Returns
    -------
    h_new, c_new : np.ndarray of shape (N, H), or (H,) unbatched
        The next hidden and cell states.

    Raises
    ------
    ValueError
        If a shape does not fit the others (``W_ih`` and ``W_hh`` must have 4H rows).

    Examples
    --------
    >>> W_ih, W_hh = np.zeros((4, 1)), np.zeros((4, 1))
    >>> b = np.array([0.0, 0.0, 1.0, 0.0])  # gate pre-activations i=0, f=0, g=1, o=0
    >>> h_new, c_new = lstm_cell(np.array([1.0]), np.array([0.0]), np.array([2.0]), W_ih, W_hh, b, None)
    >>> c_new.round(4), h_new.round(4)  # c' = 0.5*2 + 0.5*tanh(1), h' = 0.5*tanh(c')
    (array([1.3808]), array([0.4406]))
    """
    # TODO(task 2): split the 4H gate pre-activations in torch's order i | f | g | o, add both biases,
    #  then c' = f * c + i * g and h' = o * tanh(c').
    # TODO(task 4): raise ValueError when W_ih / W_hh do not have 4H rows or a shape does not fit.
    raise NotImplementedError


def lstm_forward(
    x: ArrayLike,
    h0: ArrayLike | None,
    c0: ArrayLike | None,
    layers: list[dict[str, Any]],
    batch_first: bool = False,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Run a stacked LSTM over a sequence, as ``torch.nn.LSTM`` does (unidirectional, no dropout).

    Layer 0 reads ``x``; layer ``k > 0`` reads the hidden states of layer ``k - 1``. Every layer has the same
    hidden size H.

    Parameters
    ----------
    x : array-like of shape (T, N, I), (N, T, I) if ``batch_first``, or (T, I) unbatched
        The input sequence.
    h0, c0 : array-like of shape (L, N, H), (L, H) unbatched, or None
        Initial hidden and cell states of the L layers; None means zeros.
    layers : list of L dicts
        Layer ``k``'s parameters under the keys ``"W_ih"`` (4H, I for layer 0, else 4H, H), ``"W_hh"`` (4H, H),
        ``"b_ih"`` and ``"b_hh"`` (4H,), gates stacked ``i | f | g | o`` as in :func:`lstm_cell`. A missing or None
        bias means zeros.
    batch_first : bool, default=False
        Whether ``x`` and ``out`` are batch-major, (N, T, ·). It does not change ``h0``, ``c0``, ``h_n``, ``c_n``.

    Returns
    -------
    out : np.ndarray of shape (T, N, H), (N, T, H) if ``batch_first``, or (T, H) unbatched
        The last layer's hidden state at every step.
    (h_n, c_n) : tuple of np.ndarray of shape (L, N, H), or (L, H) unbatched
        Every layer's hidden and cell state after the last step.

    Raises
    ------
    ValueError
        If ``layers`` is empty, or a shape does not fit the others.

    Examples
    --------
    >>> layer = {"W_ih": np.zeros((4, 1)), "W_hh": np.zeros((4, 1)), "b_ih": np.array([0.0, 0.0, 1.0, 0.0])}
    >>> out, (h_n, c_n) = lstm_forward(np.zeros((2, 1)), None, None, [layer])
    >>> out.round(4), c_n.round(4)  # c_1 = 0.5*tanh(1), c_2 = 0.5*c_1 + 0.5*tanh(1)
    (array([[0.1817],
           [0.2581]]), array([[0.5712]]))
    """
    # TODO(task 3): run layer 0 over x and layer k over layer k-1's outputs, each from its own h0[k], c0[k];
    #  out is the last layer's h at every step, h_n / c_n stack every layer's final state.
    # TODO(task 4): raise ValueError for an empty layers list and for shapes that do not fit.
    raise NotImplementedError

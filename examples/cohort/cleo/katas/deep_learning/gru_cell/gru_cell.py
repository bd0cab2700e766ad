"""A GRU cell and its unroll over a sequence, in NumPy, as ``torch.nn.GRUCell`` and ``torch.nn.GRU`` do."""

from __future__ import annotations

import numpy as np


def gru_cell(  # noqa: PLR0917 (the binding API mirrors torch's positional order)
    x: np.ndarray,
    h: np.ndarray,
    W_ih: np.ndarray,
    W_hh: np.ndarray,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
) -> np.ndarray:
    """One step of a GRU, as ``torch.nn.GRUCell`` computes it.

    Parameters
    ----------
    x : array-like of shape (N, I) or (I,)
        Input at this step (a batch of N rows, or one unbatched row).
    h : array-like of shape (N, H) or (H,)
        Hidden state before this step; batched exactly when ``x`` is.
    W_ih : array-like of shape (3H, I)
        Input-to-hidden weights, gates stacked ``W_ir | W_iz | W_in`` (``GRUCell.weight_ih``).
    W_hh : array-like of shape (3H, H)
        Hidden-to-hidden weights, gates stacked ``W_hr | W_hz | W_hn`` (``GRUCell.weight_hh``).
    b_ih, b_hh : array-like of shape (3H,) or None, default=None
        Biases, stacked like the weights; ``None`` means zeros.

    Returns
    -------
    np.ndarray of the shape of ``h``
        The next hidden state ``h' = (1 - z) * n + z * h``, where
        ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``, ``z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)`` and
        ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``.

    Raises
    ------
    ValueError
        If ``x`` or ``h`` is not 1-D or 2-D, if one is batched and the other is not, if their batch sizes
        differ, or if a weight or bias does not have the shape that ``x`` and ``h`` call for.

    Examples
    --------
    >>> h = np.array([0.5, -1.0])
    >>> gru_cell(np.ones(3), h, np.zeros((6, 3)), np.zeros((6, 2)))  # r = z = 0.5 and n = 0
    array([ 0.25, -0.5 ])
    """
    # TODO(task 1): compute x @ W_ih.T + b_ih and h @ W_hh.T + b_hh, split each into its r | z | n chunks,
    #   and apply the equations above.
    # TODO(task 2): accept unbatched x (I,) and h (H,), and return (H,).
    # TODO(task 4): raise ValueError for shapes that do not fit together.
    raise NotImplementedError


def gru_forward(  # noqa: PLR0917 (the binding API mirrors torch's positional order)
    x: np.ndarray,
    h0: np.ndarray | None,
    W_ih: np.ndarray,
    W_hh: np.ndarray,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
    batch_first: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Run a one-layer GRU over a sequence, as ``torch.nn.GRU`` does.

    Parameters
    ----------
    x : array-like of shape (T, N, I), or (N, T, I) if ``batch_first``
        The input sequence: T steps of a batch of N rows.
    h0 : array-like of shape (N, H), or None
        Initial hidden state; ``None`` means zeros (H is then read from ``W_hh``).
    W_ih, W_hh, b_ih, b_hh
        As in :func:`gru_cell`.
    batch_first : bool, default=False
        If True, ``x`` and ``out`` have the batch axis first.

    Returns
    -------
    out : np.ndarray of shape (T, N, H), or (N, T, H) if ``batch_first``
        The hidden state after every step.
    h_n : np.ndarray of shape (N, H)
        The hidden state after the last step.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or has no steps, if ``h0`` is not (N, H), or if a weight or bias does not have the
        shape that ``x`` and ``h0`` call for.

    Examples
    --------
    >>> out, h_n = gru_forward(np.ones((4, 1, 3)), None, np.zeros((6, 3)), np.zeros((6, 2)))
    >>> out.shape, h_n.shape
    ((4, 1, 2), (1, 2))
    """
    # TODO(task 3): start from h0 (zeros if None) and carry the state from step to step.
    raise NotImplementedError

"""GRU cell (Ben), as in Cho et al. 2014."""

from __future__ import annotations

import numpy as np


def _sigmoid(a: np.ndarray) -> np.ndarray:
    # exp(-log(1 + exp(-a))) never overflows, for very negative and very positive a alike.
    return np.exp(-np.logaddexp(0.0, -a))


def _check_params(
    input_size: int,
    hidden_size: int,
    W_ih: np.ndarray,
    W_hh: np.ndarray,
    *,
    b_ih: np.ndarray | None,
    b_hh: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate the weights against the sizes of x and h; return the biases, zeros where None."""
    gates = 3 * hidden_size
    if W_ih.shape != (gates, input_size):
        raise ValueError(
            f"W_ih has shape {W_ih.shape}, expected (3 * hidden_size, input_size) = {(gates, input_size)}"
        )
    if W_hh.shape != (gates, hidden_size):
        raise ValueError(
            f"W_hh has shape {W_hh.shape}, expected (3 * hidden_size, hidden_size) = {(gates, hidden_size)}"
        )
    biases = []
    for name, given in (("b_ih", b_ih), ("b_hh", b_hh)):
        if given is None:
            biases.append(np.zeros(gates, dtype=np.result_type(W_ih.dtype, np.float16)))
            continue
        b = np.asarray(given)
        if b.shape != (gates,):
            raise ValueError(f"{name} has shape {b.shape}, expected (3 * hidden_size,) = {(gates,)}")
        biases.append(b)
    return biases[0], biases[1]


def _step(
    x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, *, b_ih: np.ndarray, b_hh: np.ndarray
) -> np.ndarray:
    """One GRU step on batched x (N, I) and h (N, H), parameters already checked."""
    H = h.shape[-1]
    gi = x @ W_ih.T + b_ih  # (N, 3H): [W_ir x + b_ir | W_iz x + b_iz | W_in x + b_in]
    gh = h @ W_hh.T + b_hh  # (N, 3H): [W_hr h + b_hr | W_hz h + b_hz | W_hn h + b_hn]
    r = _sigmoid(gi[:, :H] + gh[:, :H])
    z = _sigmoid(gi[:, H : 2 * H] + gh[:, H : 2 * H])
    # The reset gate multiplies (W_hn h + b_hn), after the matmul and with its bias: torch's convention.
    n = np.tanh(gi[:, 2 * H :] + (r * h) @ W_hh[2 * H :].T + b_hh[2 * H :])
    return (1.0 - z) * n + z * h


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
    x = np.asarray(x)
    h = np.asarray(h)
    W_ih = np.asarray(W_ih)
    W_hh = np.asarray(W_hh)
    if x.ndim not in (1, 2):
        raise ValueError(f"x must be 1-D (I,) or 2-D (N, I), got {x.ndim}-D")
    if h.ndim != x.ndim:
        raise ValueError(f"h must be {x.ndim}-D like x (batched exactly when x is), got shape {h.shape}")
    if x.ndim == 2 and x.shape[0] != h.shape[0]:
        raise ValueError(f"x has batch size {x.shape[0]} but h has batch size {h.shape[0]}")
    b_ih, b_hh = _check_params(x.shape[-1], h.shape[-1], W_ih, W_hh, b_ih=b_ih, b_hh=b_hh)
    if x.ndim == 1:
        return _step(x[None, :], h[None, :], W_ih, W_hh, b_ih=b_ih, b_hh=b_hh)[0]
    return _step(x, h, W_ih, W_hh, b_ih=b_ih, b_hh=b_hh)


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
    x = np.asarray(x)
    W_ih = np.asarray(W_ih)
    W_hh = np.asarray(W_hh)
    if x.ndim != 3:
        raise ValueError(f"x must be 3-D, (T, N, I) or (N, T, I) with batch_first, got shape {x.shape}")
    if batch_first:
        x = x.transpose(1, 0, 2)
    T, N, _ = x.shape
    if T == 0:
        raise ValueError("x has no time steps")
    if W_hh.ndim != 2:
        raise ValueError(f"W_hh must be 2-D (3H, H), got shape {W_hh.shape}")
    H = W_hh.shape[1]
    if h0 is None:
        h0 = np.zeros((N, H), dtype=np.result_type(x, W_ih, W_hh, np.float64))
    h = np.asarray(h0)
    if h.shape != (N, H):
        raise ValueError(f"h0 has shape {h.shape}, expected (N, H) = {(N, H)}")
    b_ih, b_hh = _check_params(x.shape[-1], H, W_ih, W_hh, b_ih=b_ih, b_hh=b_hh)
    steps = []
    for t in range(T):
        h = _step(x[t], h, W_ih, W_hh, b_ih=b_ih, b_hh=b_hh)
        steps.append(h)
    out = np.stack(steps)
    if batch_first:
        out = out.transpose(1, 0, 2)
    return out, h

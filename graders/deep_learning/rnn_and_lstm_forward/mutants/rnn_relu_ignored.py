"""MUTANT rnn_relu_ignored: nonlinearity='relu' is accepted but tanh is used anyway.

Forward passes of an Elman RNN and a multi-layer LSTM in NumPy, with torch's weight layout and conventions."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def _float_array(value: ArrayLike, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.dtype == object:
        raise ValueError(f"{name} must be numeric")
    return array


def _check_shape(array: np.ndarray, shape: tuple[int, ...], name: str) -> None:
    if array.shape != shape:
        raise ValueError(f"{name} has shape {array.shape}, expected {shape}")


def _bias(value: ArrayLike | None, size: int, name: str) -> np.ndarray:
    if value is None:
        return np.zeros(size)
    bias = _float_array(value, name)
    _check_shape(bias, (size,), name)
    return bias


def _weights(
    W_ih: ArrayLike, W_hh: ArrayLike, b_ih: ArrayLike | None, b_hh: ArrayLike | None, gates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Validate one layer's parameters; return W_ih, W_hh, the summed bias and the hidden size."""
    W_ih = _float_array(W_ih, "W_ih")
    W_hh = _float_array(W_hh, "W_hh")
    if W_hh.ndim != 2 or W_hh.shape[0] % gates or W_hh.shape[0] != gates * W_hh.shape[1]:
        raise ValueError(f"W_hh must have shape ({gates}*H, H), got {W_hh.shape}")
    hidden = W_hh.shape[1]
    if W_ih.ndim != 2 or W_ih.shape[0] != gates * hidden:
        raise ValueError(f"W_ih must have shape ({gates}*H, input_size) with H={hidden}, got {W_ih.shape}")
    bias = _bias(b_ih, gates * hidden, "b_ih") + _bias(b_hh, gates * hidden, "b_hh")
    return W_ih, W_hh, bias, hidden


def _sequence(x: ArrayLike, batch_first: bool) -> tuple[np.ndarray, bool]:
    """Return x as (T, N, I) and whether it was unbatched."""
    x = _float_array(x, "x")
    if x.ndim == 2:
        return x[:, None, :], True
    if x.ndim != 3:
        raise ValueError(f"x must be 2-D (unbatched) or 3-D, got {x.ndim}-D")
    return (x.transpose(1, 0, 2) if batch_first else x), False


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Two branches so that exp never overflows, whatever the sign of z.
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _lstm_step(
    x: np.ndarray, h: np.ndarray, c: np.ndarray, params: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    W_ih, W_hh, bias = params
    gates = x @ W_ih.T + h @ W_hh.T + bias
    i, f, g, o = np.split(gates, 4, axis=-1)  # torch's order: input, forget, cell candidate, output
    c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    h_new = _sigmoid(o) * np.tanh(c_new)
    return h_new, c_new


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
    if nonlinearity == "tanh":
        act = np.tanh
    elif nonlinearity == "relu":

        def act(z: np.ndarray) -> np.ndarray:
            return np.tanh(z)
    else:
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    W_ih, W_hh, bias, hidden = _weights(W_ih, W_hh, b_ih, b_hh, gates=1)
    seq, unbatched = _sequence(x, batch_first)
    steps, batch, features = seq.shape
    if features != W_ih.shape[1]:
        raise ValueError(f"x has {features} features but W_ih expects {W_ih.shape[1]}")
    if h0 is None:
        h = np.zeros((batch, hidden))
    else:
        h = _float_array(h0, "h0")
        _check_shape(h, (hidden,) if unbatched else (batch, hidden), "h0")
        h = h.reshape(batch, hidden)
    out = np.empty((steps, batch, hidden))
    for t in range(steps):
        h = act(seq[t] @ W_ih.T + h @ W_hh.T + bias)
        out[t] = h
    if unbatched:
        return out[:, 0, :], h[0]
    return (out.transpose(1, 0, 2) if batch_first else out), h


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
    W_ih, W_hh, bias, hidden = _weights(W_ih, W_hh, b_ih, b_hh, gates=4)
    x = _float_array(x, "x")
    h = _float_array(h, "h")
    c = _float_array(c, "c")
    if x.ndim not in (1, 2):
        raise ValueError(f"x must be 1-D (unbatched) or 2-D, got {x.ndim}-D")
    if x.shape[-1] != W_ih.shape[1]:
        raise ValueError(f"x has {x.shape[-1]} features but W_ih expects {W_ih.shape[1]}")
    state_shape = (hidden,) if x.ndim == 1 else (x.shape[0], hidden)
    _check_shape(h, state_shape, "h")
    _check_shape(c, state_shape, "c")
    return _lstm_step(x, h, c, (W_ih, W_hh, bias))


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
    if len(layers) == 0:
        raise ValueError("layers must hold at least one layer")
    params = []
    for k, layer in enumerate(layers):
        params.append(_weights(layer["W_ih"], layer["W_hh"], layer.get("b_ih"), layer.get("b_hh"), gates=4))
        if params[k][3] != params[0][3]:
            raise ValueError(f"layer {k} has hidden size {params[k][3]}, layer 0 has {params[0][3]}")
    hidden, num_layers = params[0][3], len(params)
    seq, unbatched = _sequence(x, batch_first)
    steps, batch, _ = seq.shape
    state_shape = (num_layers, hidden) if unbatched else (num_layers, batch, hidden)
    states = []
    for name, given in (("h0", h0), ("c0", c0)):
        if given is None:
            states.append(np.zeros((num_layers, batch, hidden)))
        else:
            state = _float_array(given, name)
            _check_shape(state, state_shape, name)
            states.append(state.reshape(num_layers, batch, hidden).copy())
    h_n, c_n = states
    layer_input = seq
    for k, (W_ih, W_hh, bias, _) in enumerate(params):
        if layer_input.shape[-1] != W_ih.shape[1]:
            raise ValueError(
                f"layer {k} gets {layer_input.shape[-1]} features but its W_ih expects {W_ih.shape[1]}"
            )
        h, c = h_n[k], c_n[k]
        layer_out = np.empty((steps, batch, hidden))
        for t in range(steps):
            h, c = _lstm_step(layer_input[t], h, c, (W_ih, W_hh, bias))
            layer_out[t] = h
        h_n[k], c_n[k] = h, c
        layer_input = layer_out
    if unbatched:
        return layer_input[:, 0, :], (h_n[:, 0, :], c_n[:, 0, :])
    return (layer_input.transpose(1, 0, 2) if batch_first else layer_input), (h_n, c_n)

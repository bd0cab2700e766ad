"""MUTANT no_shape_checks: right equations, no validation; the weights are sliced by H = h.shape[-1], so
extra weight rows, a batch of 1 against a batch of 3, or a 3-D x go through silently."""

from __future__ import annotations

import numpy as np


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):  # noqa: PLR0917
    x, h, W_ih, W_hh = (np.asarray(a, dtype=float) for a in (x, h, W_ih, W_hh))
    H = h.shape[-1]
    b_ih = np.zeros(3 * H) if b_ih is None else np.asarray(b_ih, dtype=float)
    b_hh = np.zeros(3 * H) if b_hh is None else np.asarray(b_hh, dtype=float)
    gate = [slice(k * H, (k + 1) * H) for k in range(3)]
    r = _sigmoid(x @ W_ih[gate[0]].T + b_ih[gate[0]] + h @ W_hh[gate[0]].T + b_hh[gate[0]])
    z = _sigmoid(x @ W_ih[gate[1]].T + b_ih[gate[1]] + h @ W_hh[gate[1]].T + b_hh[gate[1]])
    n = np.tanh(x @ W_ih[gate[2]].T + b_ih[gate[2]] + r * (h @ W_hh[gate[2]].T + b_hh[gate[2]]))
    return (1.0 - z) * n + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None, batch_first=False):  # noqa: PLR0917
    x = np.asarray(x, dtype=float)
    if batch_first:
        x = x.transpose(1, 0, 2)
    H = np.shape(W_hh)[1]
    h = np.zeros((x.shape[1], H)) if h0 is None else np.asarray(h0, dtype=float)
    steps = []
    for t in range(x.shape[0]):
        h = gru_cell(x[t], h, W_ih, W_hh, b_ih, b_hh)
        steps.append(h)
    out = np.stack(steps)
    return (out.transpose(1, 0, 2) if batch_first else out), h

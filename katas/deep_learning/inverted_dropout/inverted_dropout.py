"""Inverted dropout, as ``torch.nn.Dropout`` does it: scale at training time, identity at eval time."""

from __future__ import annotations

import numpy as np


class Dropout:
    """Inverted dropout layer.

    Parameters
    ----------
    p : float, default=0.5
        Probability of dropping (zeroing) each element in training mode, in ``[0, 1]``.

    Attributes
    ----------
    training : bool
        ``True`` in training mode (the state after construction), ``False`` in eval mode.

    Raises
    ------
    ValueError
        If ``p`` is outside ``[0, 1]``.

    Examples
    --------
    >>> drop = Dropout(p=0.5)
    >>> drop.eval().forward(np.array([1.0, 2.0]), np.random.default_rng(0))
    array([1., 2.])
    """

    def __init__(self, p: float = 0.5) -> None:
        # TODO(task 1): validate p and store it; start in training mode.
        raise NotImplementedError

    def train(self, mode: bool = True) -> Dropout:
        """Set training mode (``mode=True``) or eval mode (``mode=False``); return ``self``."""
        # TODO(task 1): switch the mode.
        raise NotImplementedError

    def eval(self) -> Dropout:
        """Set eval mode; return ``self``."""
        # TODO(task 1): eval() is train(False).
        raise NotImplementedError

    def forward(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Apply dropout to ``x``.

        Parameters
        ----------
        x : array-like of any shape
            Input activations.
        rng : np.random.Generator
            Source of randomness for the mask.

        Returns
        -------
        np.ndarray of the same shape as ``x``
            In training mode each element is zeroed with probability ``p`` and survivors are scaled by
            ``1 / (1 - p)``; in eval mode ``x`` unchanged. Floating dtypes are kept; integer or boolean input
            gives ``float64``.
        """
        # TODO(task 2): draw a fresh mask from rng, remember it, and apply mask and scale.
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Gradient of the last ``forward`` with respect to its input.

        Parameters
        ----------
        grad_out : array-like of the shape of the last input
            Gradient of the loss with respect to the output of ``forward``.

        Returns
        -------
        np.ndarray
            ``grad_out`` multiplied by the same mask and scale as the last forward (unchanged if that forward
            ran in eval mode).

        Raises
        ------
        RuntimeError
            If ``forward`` has not run yet.
        """
        # TODO(task 3): reuse the mask of the last forward; never draw a new one.
        raise NotImplementedError

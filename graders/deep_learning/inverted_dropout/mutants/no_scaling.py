"""MUTANT no_scaling: inverted dropout, as ``torch.nn.Dropout`` does it: scale at training time, identity at eval time."""

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
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = float(p)
        self.training = True
        self._scaled_mask: np.ndarray | None = None
        self._ran = False

    def train(self, mode: bool = True) -> Dropout:
        """Set training mode (``mode=True``) or eval mode (``mode=False``); return ``self``."""
        self.training = bool(mode)
        return self

    def eval(self) -> Dropout:
        """Set eval mode; return ``self``."""
        return self.train(False)

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
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float64)
        self._ran = True
        if not self.training:
            self._scaled_mask = None
            return x
        keep = rng.random(x.shape) >= self.p
        # p = 1 keeps nothing: the scale is then irrelevant, and 1/(1-p) would be 0/0.
        scale = 1.0
        self._scaled_mask = keep.astype(x.dtype) * x.dtype.type(scale)
        return x * self._scaled_mask

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
        if not self._ran:
            raise RuntimeError("backward called before forward")
        grad_out = np.asarray(grad_out)
        if self._scaled_mask is None:
            return grad_out
        return grad_out * self._scaled_mask
